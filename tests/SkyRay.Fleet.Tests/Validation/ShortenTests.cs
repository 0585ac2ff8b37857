using SkyRay.Fleet.Validation;

namespace SkyRay.Fleet.Tests.Validation;

/// <summary>Text a user wrote is shown in messages at most 60 characters long, with control characters as '?'.</summary>
public sealed class ShortenTests
{
    [Theory]
    [InlineData("rayproject/ray:2.52.0", "rayproject/ray:2.52.0")]
    [InlineData("", "")]
    [InlineData("a\tb\nc", "a?b?c")]
    [InlineData("bell\u0007 and \u0085next line", "bell? and ?next line")]
    public void Short_text_is_shown_with_its_control_characters_replaced(string text, string expected) =>
        Assert.Equal(expected, KubernetesNames.Shorten(text));

    [Fact]
    public void Long_text_is_cut_after_60_characters()
    {
        var text = new string('x', 59) + "\u0001" + "tail";
        Assert.Equal(new string('x', 59) + "?…", KubernetesNames.Shorten(text));
        Assert.Equal(new string('y', 60), KubernetesNames.Shorten(new string('y', 60)));
    }

    [Fact]
    public void Every_character_that_is_a_control_character_is_replaced_and_no_other()
    {
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var ch = (char)c;
            var expected = char.IsControl(ch) ? "?" : ch.ToString();
            Assert.True(expected == KubernetesNames.Shorten(ch.ToString()), $"U+{c:X4}");
        }
    }
}
