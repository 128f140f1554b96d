# retention settings
KEEP_DAILY=7
KEEP_WEEKLY=4
KEEP_MONTHLY=6
# monitoring
MON_A="198.51"
MON_P=4455
MON_DEV="tcp"
