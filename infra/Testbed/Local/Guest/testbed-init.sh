#!/bin/sh
# PID 1 of an ipsec-testbed gateway guest (a user-mode Linux kernel).
# The root file system is the shared image, mounted read-only from the host; whatever this guest writes
# lands in tmpfs. The guest's own settings (name, addresses, SSH keys) arrive as a tar archive on /dev/ubda.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
mount -t proc proc /proc
mount -t sysfs sys /sys
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
for d in /run /tmp /root /var/log /var/tmp /var/lib/dpkg/updates; do
    mount -t tmpfs -o mode=0755,size=64m tmpfs "$d" 2>/dev/null
done
chmod 1777 /tmp /var/tmp
# strongSwan's configuration folder must be writable (the tool writes its connection there, as on a lab host):
# a copy of the image's in tmpfs, bound over it.
if [ -d /etc/swanctl ]; then
    mkdir -p /run/etc-swanctl && cp -a /etc/swanctl/. /run/etc-swanctl/ && mount --bind /run/etc-swanctl /etc/swanctl
fi
chmod 0700 /root
mkdir -p /run/seed /run/sshd
if ! tar -x -f /dev/ubda -C /run/seed; then
    echo "testbed-init: no seed archive on /dev/ubda" >&2
    echo o > /proc/sysrq-trigger
fi
. /run/seed/guest.env
hostname "$TB_HOSTNAME"
for m in $TB_MODULES; do
    modprobe -q "$m" || echo "testbed-init: module $m did not load" >&2
done
ip link set lo up
ip addr add "$TB_MGMT_ADDR" dev vec1 && ip link set vec1 up
ip addr add "$TB_WIRE_ADDR" dev vec0 && ip link set vec0 up
chmod 0600 /run/seed/ssh_host_key
echo "testbed-init: $TB_HOSTNAME ready"
# sshd as PID 1 reaps orphans (netserver, background jobs) in its SIGCHLD handler.
# Forks and execs are what cost time on this kernel (about 30 ms each), so sshd is kept lean: no PAM,
# no re-exec per connection (-r), and the classic curve25519 key exchange (sntrup761 doubles it).
# Measured with OpenSSH: 0.80 s per connection before, 0.31 s after.
exec /usr/sbin/sshd -D -e -r -h /run/seed/ssh_host_key -o KexAlgorithms=curve25519-sha256,curve25519-sha256@libssh.org \
    -o AuthorizedKeysFile=/run/seed/authorized_keys -o PidFile=/run/sshd.pid -o StrictModes=no \
    -o PermitRootLogin=prohibit-password -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no \
    -o UseDNS=no -o UsePAM=no -o PrintMotd=no -o PrintLastLog=no -o MaxSessions=32 -o MaxStartups=32
