using FluentAssertions;
using NUnit.Framework;
using Verification.Support;

namespace Verification.Unit;

public class GuestSnapshotTests
{
    const string Tentative = "3: vec1    inet6 fe80::63:4fff:fe00:3401/64 scope link tentative \\       valid_lft forever preferred_lft forever";
    const string Settled = "3: vec1    inet6 fe80::63:4fff:fe00:3401/64 scope link \\       valid_lft forever preferred_lft forever";

    [Test]
    public void An_address_still_in_duplicate_address_detection_is_the_same_address()
    {
        var before = GuestSnapshot.Parse("gw-a", $"net.ipv4.ip_forward = 1\n@@addr\n{Tentative}\n");
        var after = GuestSnapshot.Parse("gw-a", $"net.ipv4.ip_forward = 1\n@@addr\n{Settled}\n");
        before.Diff(after).Should().BeEmpty();
    }

    [Test]
    public void A_changed_address_or_sysctl_still_shows()
    {
        var before = GuestSnapshot.Parse("gw-a", $"net.ipv4.ip_forward = 1\n@@addr\n{Settled}\n");
        GuestSnapshot.Parse("gw-a", $"net.ipv4.ip_forward = 0\n@@addr\n{Settled}\n").Diff(before).Should().NotBeEmpty();
        GuestSnapshot.Parse("gw-a", "net.ipv4.ip_forward = 1\n@@addr\n").Diff(before).Should().NotBeEmpty();
    }
}
