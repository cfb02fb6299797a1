using FluentAssertions;
using NUnit.Framework;
using Testbed.Model;
using Verification.Performance;

namespace Verification.Unit;

public class ScheduleTests
{
    static readonly SuiteCase[] Suites = new[] { "ah-md5", "esp-3des-sha1", "esp-aes128-sha1", "esp-aes128gcm16" }
        .Select(n => new SuiteCase(Protection.Parse(n)!, IpsecMode.Tunnel)).ToArray();

    /// <summary>The side of each stretch of consecutive visits on one side.</summary>
    static IEnumerable<Side> Stretches(IReadOnlyList<Visit> plan) =>
        plan.Select(v => v.Side).Where((s, i) => i == 0 || plan[i - 1].Side != s);

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void With_a_reference_the_run_starts_on_the_stack_and_mirrors_its_blocks(int visitsPerSide)
    {
        var plan = Schedule.Plan(Suites, withReference: true, visitsPerSide, seed: 7);

        // The hosts are on the stack's declaration before and after the run: no switch of sides is spent on getting there
        // (with an even number of blocks the run also ends there).
        plan[0].Side.Should().Be(Side.Stack);
        plan[^1].Side.Should().Be(visitsPerSide % 2 == 0 ? Side.Stack : Side.Reference);
        // Mirrored blocks, S R | R S | S R …: the sides change once per block, visitsPerSide times in all.
        Stretches(plan).Should().HaveCount(visitsPerSide + 1);
        foreach (var side in new[] { Side.Stack, Side.Reference })
            foreach (var suite in Suites)
                plan.Where(v => v.Side == side && v.Suite == suite).Select(v => v.Number).Should().Equal(Enumerable.Range(1, visitsPerSide));
        // With an even number of blocks a linear drift costs both sides alike: each side's visits sit at the same mean position.
        if (visitsPerSide % 2 == 0)
            plan.Select((v, i) => (v.Side, i)).GroupBy(x => x.Side).Select(g => g.Average(x => x.i)).Distinct().Should().ContainSingle();
    }

    [Test]
    public void Without_a_reference_every_visit_is_the_stacks_and_a_seed_replays_the_order()
    {
        var plan = Schedule.Plan(Suites, withReference: false, 2, seed: 3);
        plan.Should().HaveCount(8).And.OnlyContain(v => v.Side == Side.Stack);
        plan.Select(v => v.Suite).Should().Equal(Schedule.Plan(Suites, false, 2, 3).Select(v => v.Suite));
        plan.Take(4).Select(v => v.Suite).Should().BeEquivalentTo(Suites);
    }
}
