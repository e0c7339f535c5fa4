#!/bin/bash
# mmdebstrap customize hook: take the boot artefacts out of the finished root and pack it into an
# ext4 image with mke2fs -d (no loop mount, so no root needed in unshare mode).
set -euo pipefail
ROOT=$1; STAGE=$2
KVER=$(ls "$ROOT/lib/modules" | sort -V | tail -1)
gzip -dc "$ROOT/boot/xen-4.17-amd64.gz" > "$STAGE/xen"
cp "$ROOT/boot/vmlinuz-$KVER" "$STAGE/vmlinuz"
cp "$ROOT/boot/initrd.img-$KVER" "$STAGE/initrd.img"
{
  echo "kernel=$KVER"
  echo "xen=$(chroot "$ROOT" dpkg-query -W -f='${Version}' xen-hypervisor-4.17-amd64)"
} > "$STAGE/versions"
# /proc, /sys and /dev are mounted (or bound) while hooks run, and device nodes cannot be made in
# unshare mode: copy the root without them, then pack it. dom0's /dev is devtmpfs at boot.
COPY="$STAGE/root"
mkdir -p "$COPY"
# Package caches and lists are left out too (mmdebstrap cleans them in the root after this hook).
tar -C "$ROOT" --one-file-system --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' --exclude='./tmp/*' \
  --exclude='./var/lib/apt/lists/*' --exclude='./var/cache/apt/archives/*.deb' -cf - . | tar -C "$COPY" -xpf -
mkdir -p "$COPY/proc" "$COPY/sys" "$COPY/dev"
mke2fs -q -t ext4 -L xenroot -d "$COPY" "$STAGE/rootfs.ext4" 3G
rm -rf "$COPY"
chmod a+r "$STAGE"/*
