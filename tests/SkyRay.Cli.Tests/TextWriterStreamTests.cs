using System.Text;

namespace SkyRay.Cli.Tests;

public sealed class TextWriterStreamTests
{
    [Fact]
    public void Bytes_written_in_any_pieces_arrive_as_the_text_they_encode()
    {
        // Characters of one to four UTF-8 bytes, cut into pieces at random places (inside a character too).
        string[] parts = ["a", "é", "→", "日本", "🙂", "\"quoted\"", "\n", new string('x', 5000)];
        var random = new Random(5);
        for (var trial = 0; trial < 300; trial++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => parts[random.Next(parts.Length)]));
            var bytes = Encoding.UTF8.GetBytes(text);
            var written = new StringWriter();
            var stream = new TextWriterStream(written);
            var at = 0;
            while (at < bytes.Length)
            {
                var piece = Math.Min(bytes.Length - at, random.Next(1, 9000));
                if (random.Next(2) == 0)
                {
                    stream.Write(bytes, at, piece);
                }
                else
                {
                    stream.Write(bytes.AsSpan(at, piece));
                }

                at += piece;
            }

            stream.Flush();
            Assert.Equal(text, written.ToString());
        }
    }

    [Fact]
    public void Bytes_that_are_not_UTF_8_are_refused()
    {
        var stream = new TextWriterStream(new StringWriter());

        Assert.Throws<DecoderFallbackException>(() => stream.Write([0xff, 0xfe, 0x41]));
    }
}
