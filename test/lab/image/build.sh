#!/bin/bash
# Builds the lab's dom0 image: Debian bookworm with Xen 4.17, xl, OpenSSH, the HVM device model and
# the guest kit. Output (in OUTDIR): xen, vmlinuz, initrd.img, rootfs.ext4 (made by mke2fs -d, no loop
# mount), id_ed25519{,.pub} (root's key), ssh_host_ed25519_key.pub, build.log.
#
# Usage: build.sh OUTDIR
# Runs as root (mmdebstrap --mode=root) or as a normal user with /etc/subuid entries
# (mmdebstrap --mode=unshare). The Debian mirror comes from this machine's apt sources; MIRROR=...
# overrides it.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$1
mkdir -p "$OUT"
T0=$(date +%s)
say() { echo "[lab build +$(( $(date +%s) - T0 ))s] $*"; }

find_mirror() {
  # deb822 "URIs:" lines and one-line "deb URL suite" entries; the first non-security Debian archive wins.
  grep -hsE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list \
    | grep -v -- '-security' | grep -oE 'https?://[^ ]+' | head -1 || true
}
MIRROR=${MIRROR:-$(find_mirror)}
[ -n "$MIRROR" ] || { echo "No Debian mirror found in this machine's apt sources; set MIRROR=<url>." >&2; exit 1; }

if [ "$(id -u)" = 0 ]; then MODE=root; else MODE=unshare; fi

# Keys made per cache: the client key root accepts, and dom0's host key (so its fingerprint is
# known before the first boot and clients can check it strictly).
[ -f "$OUT/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C domus-lab -f "$OUT/id_ed25519"
[ -f "$OUT/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C root@xenhost -f "$OUT/ssh_host_ed25519_key"

# In unshare mode the hooks run as a mapped uid; let them write the artefacts into a staging dir.
STAGE="$OUT/stage"
rm -rf "$STAGE"; mkdir -p "$STAGE"; chmod 0777 "$STAGE"

PKGS=(
  linux-image-amd64 initramfs-tools zstd kmod udev systemd-sysv procps iproute2
  xen-hypervisor-4.17-amd64 xen-utils-4.17 xen-utils-common xenstore-utils
  qemu-system-xen qemu-utils
  openssh-server sudo busybox-static cpio gzip e2fsprogs pciutils less
)

KIT_UPLOADS=()
for f in "$HERE"/kit/*; do KIT_UPLOADS+=("--customize-hook=upload $f /tmp/kit/$(basename "$f")"); done

say "mmdebstrap ($MODE) from $MIRROR"
mmdebstrap --mode="$MODE" --variant=apt --components=main \
  --aptopt='Acquire::Check-Valid-Until "false"' \
  --include="$(IFS=,; echo "${PKGS[*]}")" \
  --essential-hook='mkdir -p "$1/etc/initramfs-tools/conf.d"; printf "MODULES=most\nCOMPRESS=zstd\n" > "$1/etc/initramfs-tools/conf.d/domus-lab"' \
  --customize-hook="upload $HERE/dom0-setup.sh /tmp/dom0-setup.sh" \
  --customize-hook="upload $HERE/guest-kit.sh /tmp/guest-kit.sh" \
  --customize-hook="upload $OUT/id_ed25519.pub /tmp/authorized_keys" \
  --customize-hook="upload $OUT/ssh_host_ed25519_key /tmp/ssh_host_ed25519_key" \
  --customize-hook="upload $OUT/ssh_host_ed25519_key.pub /tmp/ssh_host_ed25519_key.pub" \
  --customize-hook="mkdir -p \"\$1/tmp/kit\"" \
  "${KIT_UPLOADS[@]}" \
  --customize-hook='chroot "$1" /bin/bash /tmp/dom0-setup.sh' \
  --customize-hook='chroot "$1" /bin/bash /tmp/guest-kit.sh' \
  --customize-hook="$HERE/export-image.sh \"\$1\" $STAGE" \
  bookworm /dev/null "$MIRROR" > "$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log" >&2; exit 1; }

mv -f "$STAGE"/{xen,vmlinuz,initrd.img,rootfs.ext4,versions} "$OUT"/
rm -rf "$STAGE"
say "done: $(cat "$OUT/versions" | tr '\n' ' ')"
