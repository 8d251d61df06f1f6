#!/bin/sh
# Build (or find cached) the VM test bed's kernel and root filesystem and
# print how long each phase took.  Cache: ${TDXSYS_CACHE:-/var/cache/tdxsys}.
exec python3 "$(dirname "$0")/tdxvm.py" prepare "$@"
