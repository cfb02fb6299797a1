using FluentAssertions;
using NUnit.Framework;
using Testbed.Bench;
using Testbed.Measurement;
using Testbed.Model;
using Testbed.Tests.Support;
using static Testbed.Tests.Bench.BenchFakes;

namespace Testbed.Tests.Bench;

public class CellSpecTests
{
    [Test]
    public void A_cell_is_the_stacks_declaration_with_its_link_mtu_tuning_mode_and_protection()
    {
        var stack = Specs.Testbed(mode: IpsecMode.Tunnel, link: Link.Unshaped, mtu: 1500);
        var spec = CellSpec.For(stack, Cell("esp-3des-sha1", link: "100mbit", mtu: 9000, tuning: "tcp", mode: "transport"));
        (spec.Link.RateMbit, spec.Mtu, spec.Ipsec.Mode, spec.Ipsec.Protection.Name).Should().Be((100, 9000, IpsecMode.Transport, "esp-3des-sha1"));
        spec.Kernel.Should().Be(Tuning.Tuned, "+TCP buffers is the tuned profile's sysctls");
        spec.Nic.Should().Be(Tuning.StockNic, "… without coalescing");
        (spec.Gateways, spec.Ipsec.Spis, spec.Stack).Should().Be((stack.Gateways, stack.Ipsec.Spis, stack.Stack));
        CellSpec.For(stack, Cell("plain", tuning: "stock")).Kernel.Sysctls.Should().BeEmpty();
        CellSpec.For(stack, Cell("plain", tuning: "tuned")).Nic.Should().Be(Tuning.TunedNic);
    }

    [Test]
    public void A_stacks_tuning_level_is_recognised_only_when_it_is_exactly_one()
    {
        TuningLevels.Of(Specs.Testbed(kernel: Tuning.Tuned, nic: Tuning.TunedNic)).Should().Be("tuned");
        TuningLevels.Of(Specs.Testbed(kernel: Tuning.Stock, nic: Tuning.StockNic)).Should().Be("stock");
        TuningLevels.Of(Specs.Testbed(kernel: Tuning.Tuned, nic: Tuning.StockNic)).Should().Be("tcp");
        TuningLevels.Of(Specs.Testbed(kernel: Tuning.Stock, nic: Tuning.TunedNic)).Should().BeNull();
    }

    [Test]
    public void The_largest_mtu_of_a_lab_nic_is_read_from_ip_link_details()
    {
        const string details = """
            2: enp1s0f0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DEFAULT group default qlen 1000
                link/ether 3c:ec:ef:00:11:22 brd ff:ff:ff:ff:ff:ff promiscuity 0 minmtu 68 maxmtu 9216 addrgenmode eui64 numtxqueues 8
            """;
        Testbed.Providers.Ssh.SshInventoryProvider.ParseMaxMtu(details).Should().Be(9216);
        Testbed.Providers.Ssh.SshInventoryProvider.ParseMaxMtu("2: eth0: <UP> mtu 1500").Should().BeNull();
    }

    [Test]
    public void The_cpu_model_comes_from_proc_cpuinfo()
    {
        RunInfo.CpuModel("processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\nflags\t: fpu\n").Should().Be("AMD EPYC 7B13");
        RunInfo.CpuModel("processor : 0\n").Should().Be("unknown");
    }
}
