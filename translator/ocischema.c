/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The runtime-spec's config.json (1.0.2 and 1.1) as field descriptors: names, JSON types,
 * ranges, allowed values and the semantic checks of ocivalidate.c. Members not listed are
 * anybody's (kept without comment). */
#include <stddef.h>

#include "ocischema.h"

/* The schema tree, leaves first. */

/* clang-format off */

#define NAME(n) .name = n, .namelen = sizeof(n) - 1
#define STR(n) { NAME(n), .type = T_STRING }
#define BOOL(n) { NAME(n), .type = T_BOOL }
#define INT(n, t) { NAME(n), .type = t }
#define REQ(n, t) { NAME(n), .type = t, .flags = F_REQUIRED }
#define OBJ(n, c) { NAME(n), .type = T_OBJECT, .children = c }
#define ARR(n, e) { NAME(n), .type = T_ARRAY, .elem = e }
#define END { .name = NULL }

static const struct ocispec_field a_string = { .type = T_STRING };
static const struct ocispec_field a_uint32 = { .type = T_UINT32 };

static const struct ocispec_field idmap_fields[] = {
	REQ("containerID", T_UINT32), REQ("hostID", T_UINT32), REQ("size", T_UINT32), END,
};
static const struct ocispec_field idmap = { .type = T_OBJECT, .children = idmap_fields };

static const struct ocispec_field mount_fields[] = {
	{ NAME("destination"), .type = T_STRING, .flags = F_REQUIRED },
	STR("type"), STR("source"), ARR("options", &a_string),
	ARR("uidMappings", &idmap), ARR("gidMappings", &idmap), END,
};
static const struct ocispec_field mount = { .type = T_OBJECT, .children = mount_fields };

static const struct ocispec_field console_fields[] = {
	REQ("height", T_UINT64), REQ("width", T_UINT64), END,
};
static const struct ocispec_field user_fields[] = {
	INT("uid", T_UINT32), INT("gid", T_UINT32), INT("umask", T_UINT32),
	ARR("additionalGids", &a_uint32), STR("username"), END,
};
static const struct ocispec_field caps_fields[] = {
	ARR("bounding", &a_string), ARR("effective", &a_string), ARR("inheritable", &a_string),
	ARR("permitted", &a_string), ARR("ambient", &a_string), END,
};
static const struct ocispec_field rlimit_fields[] = {
	{ NAME("type"), .type = T_STRING, .flags = F_REQUIRED, .check = ocischema_check_rlimit_type },
	REQ("soft", T_UINT64), REQ("hard", T_UINT64), END,
};
static const struct ocispec_field rlimit = { .type = T_OBJECT, .children = rlimit_fields };

static const char *const sched_policies[] = {
	"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE",
	"SCHED_DEADLINE", NULL,
};
static const char *const sched_flags[] = {
	"SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN",
	"SCHED_FLAG_KEEP_POLICY", "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
	"SCHED_FLAG_UTIL_CLAMP_MAX", NULL,
};
static const struct ocispec_field sched_flag = { .type = T_STRING, .choices = sched_flags };
static const struct ocispec_field sched_fields[] = {
	{ NAME("policy"), .type = T_STRING, .flags = F_REQUIRED, .choices = sched_policies },
	INT("nice", T_INT32), INT("priority", T_INT32), ARR("flags", &sched_flag),
	INT("runtime", T_UINT64), INT("deadline", T_UINT64), INT("period", T_UINT64), END,
};
static const char *const ioprio_classes[] = {
	"IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE", NULL,
};
static const struct ocispec_field ioprio_fields[] = {
	{ NAME("class"), .type = T_STRING, .flags = F_REQUIRED, .choices = ioprio_classes },
	INT("priority", T_INT32), END,
};
static const struct ocispec_field affinity_fields[] = {
	{ NAME("initial"), .type = T_STRING, .check = ocischema_check_cpu_list },
	{ NAME("final"), .type = T_STRING, .check = ocischema_check_cpu_list }, END,
};

static const struct ocispec_field process_fields[] = {
	BOOL("terminal"), OBJ("consoleSize", console_fields), OBJ("user", user_fields),
	ARR("args", &a_string), STR("commandLine"), ARR("env", &a_string),
	{ NAME("cwd"), .type = T_STRING, .flags = F_REQUIRED, .check = ocischema_check_absolute },
	OBJ("capabilities", caps_fields),
	{ NAME("rlimits"), .type = T_ARRAY, .elem = &rlimit, .check = ocischema_check_rlimits },
	BOOL("noNewPrivileges"), STR("apparmorProfile"), INT("oomScoreAdj", T_INT32),
	STR("selinuxLabel"), OBJ("scheduler", sched_fields), OBJ("ioPriority", ioprio_fields),
	OBJ("execCPUAffinity", affinity_fields), END,
};

static const struct ocispec_field root_fields[] = {
	REQ("path", T_STRING), BOOL("readonly"), END,
};

static const struct ocispec_field hook_fields[] = {
	REQ("path", T_STRING), ARR("args", &a_string), ARR("env", &a_string),
	{ NAME("timeout"), .type = T_INT64, .min = 1 }, END,
};
static const struct ocispec_field hook = { .type = T_OBJECT, .children = hook_fields };
static const struct ocispec_field hooks_fields[] = {
	ARR("prestart", &hook), ARR("createRuntime", &hook), ARR("createContainer", &hook),
	ARR("startContainer", &hook), ARR("poststart", &hook), ARR("poststop", &hook), END,
};

/* linux */

static const char *const ns_types[] = {
	"pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time", NULL,
};
static const struct ocispec_field ns_fields[] = {
	{ NAME("type"), .type = T_STRING, .flags = F_REQUIRED, .choices = ns_types },
	STR("path"), END,
};
static const struct ocispec_field ns = { .type = T_OBJECT, .children = ns_fields };

static const struct ocispec_field offset_fields[] = {
	INT("secs", T_INT64), INT("nanosecs", T_UINT32), END,
};
static const struct ocispec_field time_offsets_fields[] = {
	OBJ("boottime", offset_fields), OBJ("monotonic", offset_fields), END,
};

static const struct ocispec_field device_fields[] = {
	{ NAME("type"), .type = T_STRING, .flags = F_REQUIRED, .check = ocischema_check_device_type },
	REQ("path", T_STRING), INT("major", T_INT64), INT("minor", T_INT64),
	INT("fileMode", T_UINT32), INT("uid", T_UINT32), INT("gid", T_UINT32), END,
};
static const struct ocispec_field device = { .type = T_OBJECT, .children = device_fields };

static const struct ocispec_field dev_cgroup_fields[] = {
	REQ("allow", T_BOOL), STR("type"), INT("major", T_INT64), INT("minor", T_INT64),
	STR("access"), END,
};
static const struct ocispec_field dev_cgroup = { .type = T_OBJECT, .children = dev_cgroup_fields };

static const struct ocispec_field memory_fields[] = {
	INT("limit", T_INT64), INT("reservation", T_INT64), INT("swap", T_INT64),
	INT("kernel", T_INT64), INT("kernelTCP", T_INT64), INT("swappiness", T_UINT64),
	BOOL("disableOOMKiller"), BOOL("useHierarchy"), BOOL("checkBeforeUpdate"), END,
};
static const struct ocispec_field cpu_fields[] = {
	INT("shares", T_UINT64), INT("quota", T_INT64), INT("burst", T_UINT64),
	INT("period", T_UINT64), INT("realtimeRuntime", T_INT64),
	INT("realtimePeriod", T_UINT64), STR("cpus"), STR("mems"), INT("idle", T_INT64), END,
};
static const struct ocispec_field pids_fields[] = {
	REQ("limit", T_INT64), END,
};
static const struct ocispec_field weight_dev_fields[] = {
	REQ("major", T_INT64), REQ("minor", T_INT64), INT("weight", T_UINT16),
	INT("leafWeight", T_UINT16), END,
};
static const struct ocispec_field weight_dev = { .type = T_OBJECT, .children = weight_dev_fields };
static const struct ocispec_field throttle_fields[] = {
	REQ("major", T_INT64), REQ("minor", T_INT64), INT("rate", T_UINT64), END,
};
static const struct ocispec_field throttle = { .type = T_OBJECT, .children = throttle_fields };
static const struct ocispec_field blkio_fields[] = {
	INT("weight", T_UINT16), INT("leafWeight", T_UINT16), ARR("weightDevice", &weight_dev),
	ARR("throttleReadBpsDevice", &throttle), ARR("throttleWriteBpsDevice", &throttle),
	ARR("throttleReadIOPSDevice", &throttle), ARR("throttleWriteIOPSDevice", &throttle),
	END,
};
static const struct ocispec_field hugepage_fields[] = {
	REQ("pageSize", T_STRING), REQ("limit", T_UINT64), END,
};
static const struct ocispec_field hugepage = { .type = T_OBJECT, .children = hugepage_fields };
static const struct ocispec_field prio_fields[] = {
	REQ("name", T_STRING), REQ("priority", T_UINT32), END,
};
static const struct ocispec_field prio = { .type = T_OBJECT, .children = prio_fields };
static const struct ocispec_field network_fields[] = {
	INT("classID", T_UINT32), ARR("priorities", &prio), END,
};
static const struct ocispec_field rdma_fields[] = {
	INT("hcaHandles", T_UINT32), INT("hcaObjects", T_UINT32), END,
};
static const struct ocispec_field rdma_entry = { .type = T_OBJECT, .children = rdma_fields };

static const struct ocispec_field resources_fields[] = {
	ARR("devices", &dev_cgroup), OBJ("memory", memory_fields), OBJ("cpu", cpu_fields),
	OBJ("pids", pids_fields), OBJ("blockIO", blkio_fields),
	ARR("hugepageLimits", &hugepage), OBJ("network", network_fields),
	{ NAME("rdma"), .type = T_MAP, .elem = &rdma_entry },
	{ NAME("unified"), .type = T_MAP, .elem = &a_string }, END,
};

static const char *const propagations[] = {
	/* The spec's four; runc also accepts the recursive spellings. */
	"private", "shared", "slave", "unbindable", "rprivate", "rshared", "rslave",
	"runbindable", NULL,
};
static const char *const seccomp_actions[] = {
	"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
	"SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
	NULL,
};
static const char *const seccomp_ops[] = {
	"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE",
	"SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL,
};
static const char *const seccomp_archs[] = {
	"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
	"SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32",
	"SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
	"SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
	"SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64",
	"SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB", NULL,
};
static const struct ocispec_field seccomp_arch = { .type = T_STRING, .choices = seccomp_archs };
static const struct ocispec_field syscall_arg_fields[] = {
	REQ("index", T_UINT32), REQ("value", T_UINT64), INT("valueTwo", T_UINT64),
	{ NAME("op"), .type = T_STRING, .flags = F_REQUIRED, .choices = seccomp_ops }, END,
};
static const struct ocispec_field syscall_arg = {
	.type = T_OBJECT, .children = syscall_arg_fields,
};
static const struct ocispec_field syscall_fields[] = {
	{ NAME("names"), .type = T_ARRAY, .flags = F_REQUIRED, .elem = &a_string, .min = 1 },
	{ NAME("action"), .type = T_STRING, .flags = F_REQUIRED, .choices = seccomp_actions },
	INT("errnoRet", T_UINT32), ARR("args", &syscall_arg), END,
};
static const struct ocispec_field syscall_rule = { .type = T_OBJECT, .children = syscall_fields };
static const struct ocispec_field seccomp_fields[] = {
	{ NAME("defaultAction"), .type = T_STRING, .flags = F_REQUIRED,
	  .choices = seccomp_actions },
	INT("defaultErrnoRet", T_UINT32), ARR("architectures", &seccomp_arch),
	ARR("flags", &a_string), STR("listenerPath"), STR("listenerMetadata"),
	ARR("syscalls", &syscall_rule), END,
};

static const char *const personality_domains[] = { "LINUX", "LINUX32", NULL };
static const struct ocispec_field personality_fields[] = {
	{ NAME("domain"), .type = T_STRING, .choices = personality_domains },
	ARR("flags", &a_string), END,
};
static const struct ocispec_field intel_rdt_fields[] = {
	STR("closID"), STR("l3CacheSchema"), STR("memBwSchema"), BOOL("enableCMT"),
	BOOL("enableMBM"), ARR("schemata", &a_string), END,
};

static const struct ocispec_field linux_fields[] = {
	{ NAME("namespaces"), .type = T_ARRAY, .elem = &ns, .check = ocischema_check_namespaces },
	ARR("uidMappings", &idmap), ARR("gidMappings", &idmap),
	OBJ("timeOffsets", time_offsets_fields), ARR("devices", &device), STR("cgroupsPath"),
	OBJ("resources", resources_fields),
	{ NAME("rootfsPropagation"), .type = T_STRING, .choices = propagations },
	OBJ("seccomp", seccomp_fields),
	{ NAME("sysctl"), .type = T_MAP, .elem = &a_string },
	ARR("maskedPaths", &a_string), ARR("readonlyPaths", &a_string), STR("mountLabel"),
	OBJ("personality", personality_fields), OBJ("intelRdt", intel_rdt_fields), END,
};

static const struct ocispec_field top_fields[] = {
	REQ("ociVersion", T_STRING), OBJ("root", root_fields), ARR("mounts", &mount),
	OBJ("process", process_fields), STR("hostname"), STR("domainname"),
	OBJ("hooks", hooks_fields),
	{ NAME("annotations"), .type = T_MAP, .elem = &a_string },
	OBJ("linux", linux_fields),
	/* Other platforms: must be objects, their contents are not ours to judge. */
	OBJ("solaris", NULL), OBJ("windows", NULL), OBJ("vm", NULL), OBJ("zos", NULL), END,
};
const struct ocispec_field ocischema_top = { .type = T_OBJECT, .children = top_fields };
/* clang-format on */
