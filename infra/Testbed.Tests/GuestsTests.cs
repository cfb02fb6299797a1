using FluentAssertions;
using NUnit.Framework;
using Testbed.Local;
using Testbed.Model;

namespace Testbed.Tests;

public class GuestsTests
{
    /// <summary>A guest kernel's command line as <see cref="Guests.KernelArgs"/> writes it.</summary>
    static readonly string[] Booted =
    [
        "linux.uml", "umid=ipsec-testbed-local-gw-a", "mem=256M", "hostfs=/var/cache/ipsec-testbed/guest-0123456789ab/root",
        "root=/dev/root", "rootfstype=hostfs", "rootflags=/", "ro", "init=/sbin/testbed-init", "ubd0r=/tmp/gw-a.seed.tar",
        "vec0:transport=raw,ifname=wire-a,depth=128,gro=1,mtu=9000,mac=02:01:02:03:04:00",
        "vec1:transport=raw,ifname=mgmt-a-g,mac=02:01:02:03:04:01", "con=null", "con0=null,fd:1",
    ];

    [Test]
    public void The_mtu_and_the_image_are_read_off_the_command_line()
    {
        Guests.BootMtu(Booted).Should().Be(9000, "vec0's mtu, not vec1's");
        Guests.BootImage(Booted).Should().Be("/var/cache/ipsec-testbed/guest-0123456789ab/root");
    }

    [Test]
    public void A_guest_that_is_not_running_has_neither()
    {
        Guests.BootMtu((IReadOnlyList<string>?)null).Should().BeNull();
        Guests.BootImage(null).Should().BeNull();
        Guests.BootMtu(["linux.uml", "vec0:transport=raw,ifname=wire-a"]).Should().BeNull("no mtu= on vec0");
        Guests.BootWireIo(null).Should().BeNull();
    }

    [Test]
    public void How_the_wire_nic_moves_frames_is_read_off_the_command_line()
    {
        Guests.BootWireIo(Booted).Should().Be(WireIo.Vector, "depth=128 batches");
        Guests.BootWireIo(["linux.uml", "vec0:transport=raw,ifname=wire-a,vec=0,gro=1,mtu=1500", "vec1:transport=raw,ifname=mgmt-a-g"])
            .Should().Be(WireIo.Packet);
    }
}
