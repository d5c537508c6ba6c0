using System.Text;
using System.Text.Json.Nodes;
using Gantry.Server.Mesos;
using Xunit;

namespace Gantry.Tests.Mesos;

public sealed class RecordIoTests
{
    [Fact]
    public void A_record_is_its_utf8_byte_length_a_newline_and_the_json()
    {
        var framed = Encoding.UTF8.GetString(RecordIo.Frame(new JsonObject { ["message"] = "déjà vu" }));

        // "déjà vu" is 7 characters but 9 bytes: the length counts bytes.
        const string json = """{"message":"déjà vu"}""";
        Assert.Equal(json.Length + 2, Encoding.UTF8.GetByteCount(json));
        Assert.Equal($"{Encoding.UTF8.GetByteCount(json)}\n{json}", framed);
    }

    [Fact]
    public void A_plus_in_a_string_is_written_as_it_is()
    {
        var framed = Encoding.UTF8.GetString(RecordIo.Frame(new JsonObject { ["uuid"] = "ab+c/d==" }));

        Assert.Equal("""
            19
            {"uuid":"ab+c/d=="}
            """.ReplaceLineEndings("\n"), framed);
    }
}
