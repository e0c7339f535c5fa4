#!/bin/bash
# Runs inside the dom0 root (chroot) while the image is built: host identity, network with the
# xenbr0 bridge, SSH, the sudo user, storage directory, and the services dom0 must (not) start.
set -euo pipefail

echo xenhost > /etc/hostname
printf '127.0.0.1 localhost\n127.0.1.1 xenhost\n' > /etc/hosts
echo '/dev/vda / ext4 defaults,noatime 0 1' > /etc/fstab
passwd -l root >/dev/null   # key login only

# Network: the virtio NIC (the management link QEMU forwards SSH to) is the uplink of xenbr0, so
# guests' vifs land on a real bridge. The spare e1000 stays unconfigured: it is for passthrough.
mkdir -p /etc/systemd/network
cat > /etc/systemd/network/10-xenbr0.netdev <<'EON'
[NetDev]
Name=xenbr0
Kind=bridge
EON
cat > /etc/systemd/network/20-uplink.network <<'EON'
[Match]
Driver=virtio_net
[Network]
Bridge=xenbr0
EON
cat > /etc/systemd/network/30-xenbr0.network <<'EON'
[Match]
Name=xenbr0
[Network]
DHCP=ipv4
EON
systemctl enable systemd-networkd >/dev/null 2>&1

# SSH: the host key made for this cache, root's key, no passwords, no DNS look-ups (slow under TCG).
rm -f /etc/ssh/ssh_host_*
install -m 600 /tmp/ssh_host_ed25519_key /etc/ssh/ssh_host_ed25519_key
install -m 644 /tmp/ssh_host_ed25519_key.pub /etc/ssh/ssh_host_ed25519_key.pub
cat > /etc/ssh/sshd_config.d/domus-lab.conf <<'EON'
HostKey /etc/ssh/ssh_host_ed25519_key
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
MaxStartups 50:30:100
MaxSessions 50
EON
install -d -m 700 /root/.ssh
install -m 600 /tmp/authorized_keys /root/.ssh/authorized_keys

# A non-root admin who runs the toolstack through `sudo -n`, as on hosts without root logins.
useradd -m -s /bin/bash admin
install -d -m 700 -o admin -g admin /home/admin/.ssh
install -m 600 -o admin -g admin /tmp/authorized_keys /home/admin/.ssh/authorized_keys
echo 'admin ALL=(root) NOPASSWD: ALL' > /etc/sudoers.d/admin
chmod 440 /etc/sudoers.d/admin

# Storage for guest disk images.
mkdir -p /var/lib/xen/images /var/lib/xen/save

# pciback for passthrough; quiet boot; no timers that wake a slow emulated machine.
echo xen-pciback > /etc/modules-load.d/xen-pciback.conf
systemctl mask e2scrub_reap.service e2scrub_all.timer apt-daily.timer apt-daily-upgrade.timer \
  fstrim.timer man-db.timer >/dev/null 2>&1 || true
mkdir -p /etc/systemd/journald.conf.d
printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=32M\n' > /etc/systemd/journald.conf.d/domus-lab.conf
