using Testbed.Model;
using FluentAssertions;
using NUnit.Framework;
using Testbed.Config;
using Testbed.Tests.Support;

namespace Testbed.Tests.Config;

public class YamlViewTests
{
    TempDir _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDir();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    (YamlView? View, ErrorSink Errors) Load(string yaml)
    {
        var file = _dir.File("x.yaml");
        File.WriteAllText(file, yaml);
        var errors = new ErrorSink();
        return (YamlView.Load(file, "x.yaml", errors), errors);
    }

    YamlView View(string yaml) => Load(yaml).View!;

    [Test]
    public void Syntax_error_names_the_file_and_line()
    {
        var (view, errors) = Load("a: 1\nb: {c: 1\n");
        view.Should().BeNull();
        errors.Errors.Should().ContainSingle().Which.Should().Match<ConfigError>(e => e.File == "x.yaml" && e.Key == "(syntax)" && e.Line == 3);
    }

    [Test]
    public void A_top_level_that_is_not_a_mapping_is_refused()
    {
        var (view, errors) = Load("- a\n- b\n");
        view.Should().BeNull();
        errors.Errors.Single().Should().Be(new ConfigError("x.yaml", "(file)", "expected a YAML mapping at the top"));
    }

    [Test]
    public void Paths_join_keys_with_dots_and_follow_a_project_prefix()
    {
        var v = View("ipsec-testbed:ipsec:\n  spi:\n    forward: 1\n");
        v["ipsec-testbed:ipsec"]["spi"]["forward"].Path.Should().Be("ipsec-testbed:ipsec.spi.forward");
        new YamlView("f", "ipsec-testbed:", null, new ErrorSink())["mtu"].Path.Should().Be("ipsec-testbed:mtu");
    }

    [Test]
    public void An_empty_value_does_not_exist_but_a_quoted_empty_one_does()
    {
        var v = View("a:\nb: \"\"\nc: ~\n");
        v["a"].Exists.Should().BeFalse();
        v["b"].Exists.Should().BeTrue();
        v["missing"].Exists.Should().BeFalse();
    }

    [Test]
    public void Reading_the_wrong_type_records_an_error_and_returns_null()
    {
        var (view, errors) = Load("list: [1, 2]\nmap: {a: 1}\nword: abc\n");
        view!["list"].String().Should().BeNull();
        view["map"].Int(0, 10).Should().BeNull();
        view["word"].Entries().Should().BeEmpty();
        errors.Errors.Select(e => (e.Key, e.Message)).Should().Equal(
            ("list", "expected a single value, got a list"), ("map", "expected a single value, got a mapping"),
            ("word", "expected a mapping of keys to values, got a value"));
    }

    [Test]
    public void Required_value_that_is_missing_is_an_error()
    {
        var (view, errors) = Load("a: 1\n");
        view!["b"].String(required: true).Should().BeNull();
        errors.Errors.Single().Should().Be(new ConfigError("x.yaml", "b", "is required"));
    }

    [TestCase("0x1001", 0x1001u)]
    [TestCase("0X1001", 0x1001u)]
    [TestCase("4097", 4097u)]
    [TestCase("0xffffffff", uint.MaxValue)]
    public void UInt32_reads_decimal_and_hex(string text, uint value) => View($"v: {text}\n")["v"].UInt32(256).Should().Be(value);

    [TestCase("-5")]
    [TestCase("+5")]
    [TestCase("0x")]
    [TestCase("4294967296")]
    public void UInt32_refuses_what_is_not_an_unsigned_32_bit_number(string text)
    {
        var (view, errors) = Load($"v: \"{text}\"\n");
        view!["v"].UInt32(0).Should().BeNull();
        errors.Errors.Should().ContainSingle();
    }

    [TestCase("on", true)]
    [TestCase("true", true)]
    [TestCase("yes", true)]
    [TestCase("off", false)]
    [TestCase("false", false)]
    [TestCase("no", false)]
    public void Bool_reads_the_usual_words(string text, bool value) => View($"v: {text}\n")["v"].Bool().Should().Be(value);

    [Test]
    public void OneOf_returns_the_fallback_when_absent_and_null_when_wrong()
    {
        var (view, errors) = Load("v: c\n");
        view!["none"].OneOf("a", "a", "b").Should().Be("a");
        view["v"].OneOf("a", "a", "b").Should().BeNull();
        errors.Errors.Single().Message.Should().Be("'c' is not one of: a, b");
    }

    [Test]
    public void AllowOnly_names_every_unknown_key()
    {
        var (view, errors) = Load("a: 1\nb: 2\nc: 3\n");
        view!.AllowOnly("a");
        errors.Errors.Select(e => e.Key).Should().Equal("b", "c");
        errors.Errors[0].Message.Should().Be("unknown key (expected one of: a)");
    }

    [Test]
    public void Long_user_input_is_shortened_in_messages()
    {
        YamlView.Shorten(new string('x', 60)).Should().HaveLength(60);
        YamlView.Shorten(new string('x', 100)).Should().Be(new string('x', 57) + "...");
    }

    [Test]
    public void The_same_error_is_kept_once()
    {
        var sink = new ErrorSink();
        sink.Add(new ConfigError("f", "k", "m", 1));
        sink.Add(new ConfigError("f", "k", "m", 1));
        sink.Errors.Should().ContainSingle();
        FluentActions.Invoking(sink.ThrowIfAny).Should().Throw<ConfigException>().WithMessage("f:1: k: m");
        new ErrorSink().Invoking(s => s.ThrowIfAny()).Should().NotThrow();
    }
}
