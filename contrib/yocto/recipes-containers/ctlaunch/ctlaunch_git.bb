SUMMARY = "Run LXC containers and OCI bundles through liblxc; translate LXC configs <-> OCI"
DESCRIPTION = "ctlaunch runs the containers of a device (Thunder/RDK nanoservices and any LXC \
container) from their LXC configurations or OCI bundles through liblxc, in process, with \
bounded stops through pidfds. lxc2oci and oci2lxc translate between LXC configurations and \
OCI runtime-spec config.json both ways."
SECTION = "console/utils"
LICENSE = "LGPL-2.1-or-later"
# The tree has no licence text file yet: every source file carries an SPDX line.
LIC_FILES_CHKSUM = "file://translator/translate.c;beginline=1;endline=1;md5=14007449932ed169474d694e94140b49"

# Point CTLAUNCH_GIT_URI at the repository (or build a local checkout with externalsrc); pin
# SRCREV for reproducible builds.
CTLAUNCH_GIT_URI ??= "git://git.example.com/ctlaunch.git;protocol=https;branch=main"
SRC_URI = "${CTLAUNCH_GIT_URI} \
           file://run-ptest \
          "
SRCREV ?= "${AUTOREV}"
PV = "0.1.0+git${SRCPV}"
S = "${WORKDIR}/git"

# lxc comes from meta-virtualization; libcap, libseccomp, libyaml, jansson and libcheck from
# openembedded-core. libcheck: configure requires it (the unit tests, see ptest below).
DEPENDS = "lxc libcap libseccomp libyaml jansson libcheck"

inherit autotools pkgconfig ptest

# Optional parts: the ctlaunch@.service template (with systemd) and the bash completions.
PACKAGECONFIG ??= "${@bb.utils.filter('DISTRO_FEATURES', 'systemd', d)} bash-completion"
PACKAGECONFIG[systemd] = "--with-systemdsystemunitdir=${systemd_system_unitdir},,,"
PACKAGECONFIG[bash-completion] = ",,,bash-completion"

# The generated man pages are in the tree: never run a host scdoc. -Werror is for CI only.
CACHED_CONFIGUREVARS += "ac_cv_path_SCDOC="
EXTRA_OECONF += "--disable-werror"
# lxc.rootfs.mount's default on the target: not lxc.pc's libdir, which may carry the sysroot.
EXTRA_OECONF += "--with-lxc-rootfs-mount=${libdir}/lxc/rootfs"

do_install:append() {
	if ${@bb.utils.contains('PACKAGECONFIG', 'systemd', 'false', 'true', d)}; then
		rm -rf ${D}${prefix}/lib/systemd
	fi
	if ${@bb.utils.contains('PACKAGECONFIG', 'bash-completion', 'false', 'true', d)}; then
		rm -rf ${D}${datadir}/bash-completion
	fi
}

# ptest: the Check unit suites (tests/unit/check_*), built by "make check" without running
# any test, installed with their data; run-ptest runs each and prints PASS:/FAIL: lines.
do_compile_ptest() {
	oe_runmake check TESTS=
}

do_install_ptest() {
	install -d ${D}${PTEST_PATH}/tests/unit
	for t in ${B}/tests/unit/check_*; do
		case "$t" in *.o | *.log | *.trs) continue ;; esac
		[ -f "$t" ] && [ -x "$t" ] && install -m 0755 "$t" ${D}${PTEST_PATH}/tests/unit/
	done
	cp -r ${S}/tests/unit/data ${D}${PTEST_PATH}/tests/unit/
}

PACKAGES =+ "${PN}-bash-completion"
FILES:${PN}-bash-completion = "${datadir}/bash-completion"
RDEPENDS:${PN}-bash-completion = "bash-completion"
FILES:${PN} += "${datadir}/ctlaunch ${systemd_system_unitdir} ${prefix}/lib/systemd/system"
CONFFILES:${PN} = "${sysconfdir}/ctlaunch/ctlaunch.yaml"
