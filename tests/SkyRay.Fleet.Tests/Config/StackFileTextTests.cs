using System.Text;
using SkyRay.Fleet.Config;

namespace SkyRay.Fleet.Tests.Config;

/// <summary>
/// The stack file's text is decoded from its bytes in one go; it must be exactly what <see cref="File.ReadAllText(string)"/>
/// gives (the expected side) for every file: byte order marks of each kind, broken UTF-8, empty files.
/// </summary>
public sealed class StackFileTextTests
{
    private static readonly string[] Pieces = ["config:\n", "  skyray:workloads: {}\n", "é", "日本", "🙂", "\r\n", "\uFEFF", "\t"];

    [Fact]
    public void Reading_a_stack_file_gives_what_File_ReadAllText_gives()
    {
        byte[][] starts = [[], [0xEF, 0xBB, 0xBF], [0xFE, 0xFF], [0xFF, 0xFE], [0xFF, 0xFE, 0x00, 0x00], [0x00, 0x00, 0xFE, 0xFF], [0xEF, 0xBB]];
        var pieces = Pieces.Select(Encoding.UTF8.GetBytes).ToArray();
        var random = new Random(20261206);
        var directory = Directory.CreateTempSubdirectory("skyray-text-");
        try
        {
            var path = Path.Combine(directory.FullName, "Pulumi.t.yaml");
            for (var i = 0; i < 600; i++)
            {
                var bytes = new List<byte>(starts[random.Next(starts.Length)]);
                for (var n = random.Next(12); n > 0; n--)
                {
                    if (random.Next(6) == 0)
                    {
                        // A stray byte: broken UTF-8 (a lone continuation or lead byte) or anything else.
                        bytes.Add((byte)random.Next(256));
                    }
                    else
                    {
                        var piece = pieces[random.Next(pieces.Length)];
                        // Sometimes cut a piece short: a multi-byte character split at the end.
                        bytes.AddRange(random.Next(8) == 0 ? piece[..random.Next(piece.Length + 1)] : piece);
                    }
                }

                File.WriteAllBytes(path, [.. bytes]);
                Assert.Equal(File.ReadAllText(path), StackLoader.ReadAllText(path));
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
