#!/bin/bash
# Runs inside the dom0 root (chroot): the guest kit in /root/kit — dom0's own kernel and a
# busybox initramfs that boots as a PV, PVH or HVM guest to a shell on its console, with the
# frontend and e1000 modules for network, disk and passthrough tests — plus sample configs.
set -euo pipefail
KIT=/root/kit
KVER=$(ls /lib/modules | sort -V | tail -1)
mkdir -p "$KIT"
cp "/boot/vmlinuz-$KVER" "$KIT/vmlinuz"
cp /tmp/kit/*.cfg "$KIT/"

G=$(mktemp -d)
mkdir -p "$G"/{bin,sbin,etc,proc,sys,dev,tmp,root,lib/modules}
cp /bin/busybox "$G/bin/busybox"
ln -s busybox "$G/bin/sh"
ln -s bin/busybox "$G/init"
for m in drivers/pci/xen-pcifront.ko drivers/net/ethernet/intel/e1000/e1000.ko \
         drivers/net/xen-netfront.ko drivers/block/xen-blkfront.ko; do
  f=/lib/modules/$KVER/kernel/$m
  [ -f "$f" ] && cp "$f" "$G/lib/modules/"
  [ -f "$f.xz" ] && xz -dc "$f.xz" > "$G/lib/modules/$(basename "$f")"
done
cat > "$G/etc/inittab" <<'EOT'
::sysinit:/etc/rcS
hvc0::respawn:-/bin/sh
::shutdown:/bin/echo GUEST-SHUTDOWN
EOT
cat > "$G/etc/rcS" <<'EOT'
#!/bin/sh
/bin/busybox --install -s
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null
for m in /lib/modules/*.ko; do insmod $m 2>/dev/null; done
echo "GUEST-BOOTED kernel=$(uname -r) type=$(cat /sys/hypervisor/guest_type 2>/dev/null)"
EOT
cat > "$G/hvminit" <<'EOT'
#!/bin/sh
/etc/rcS
while :; do /bin/busybox setsid /bin/busybox cttyhack /bin/sh; sleep 1; done
EOT
chmod +x "$G/etc/rcS" "$G/hvminit"
(cd "$G" && find . | cpio -o -H newc 2>/dev/null | gzip -9) > "$KIT/initrd.gz"
rm -rf "$G"
ls "$KIT"
