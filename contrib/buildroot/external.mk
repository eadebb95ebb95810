include $(sort $(wildcard $(BR2_EXTERNAL_CTLAUNCH_PATH)/package/*/*.mk))
