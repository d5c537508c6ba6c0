using Gantry.Agent.Runtimes;
using Gantry.Agent.Runtimes.Processes;
using Xunit;

namespace Gantry.Tests.Runtimes;

/// <summary>runc's look-up of an exec's command (Go's exec.LookPath), over a directory standing for the container's root.</summary>
public sealed class ExecLookPathTests : IDisposable
{
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;
    private const UnixFileMode Readable = (UnixFileMode)0b110_100_100;
    private const UnixFileMode OwnerExecutable = (UnixFileMode)0b111_100_100;

    private static readonly ProcessUser Root = new(0, 0, []);

    private readonly string _root = Directory.CreateTempSubdirectory("gantry-lookpath-").FullName;

    private string WorkingDirectory => Path.Combine(_root, "work");

    public ExecLookPathTests()
    {
        File(Path.Combine("bin", "tool"), Executable);
        File(Path.Combine("usr", "bin", "notes"), Readable);
        File(Path.Combine("etc", "hostname"), Readable);
        File(Path.Combine("work", "run.sh"), Executable);
        File(Path.Combine("opt", "mine"), OwnerExecutable);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_name_in_a_directory_of_the_PATH_starts()
    {
        Assert.Null(Failure("/usr/bin:/bin", "tool"));
    }

    [Fact]
    public void A_name_in_no_directory_of_the_PATH_is_not_found_in_PATH()
    {
        Assert.Equal("exec: \"nosuch\": executable file not found in $PATH", Failure("/usr/bin:/bin", "nosuch"));
    }

    [Fact]
    public void A_file_of_the_name_without_execute_permission_is_passed_over_on_the_PATH()
    {
        Assert.Equal("exec: \"notes\": executable file not found in $PATH", Failure("/usr/bin:/bin", "notes"));
    }

    [Fact]
    public void An_empty_PATH_has_no_directories_while_an_empty_entry_is_the_working_directory()
    {
        Assert.Equal("exec: \"run.sh\": executable file not found in $PATH", Failure("", "run.sh"));
        Assert.Null(Failure("/bin::/usr/bin", "run.sh"));
    }

    [Fact]
    public void A_path_that_does_not_exist_fails_with_stats_error()
    {
        Assert.Equal("exec: \"/bin/nosuch\": stat /bin/nosuch: no such file or directory", Failure("/bin", "/bin/nosuch"));
    }

    [Fact]
    public void A_path_through_a_file_fails_as_not_a_directory()
    {
        Assert.Equal("exec: \"/etc/hostname/x\": stat /etc/hostname/x: not a directory", Failure("/bin", "/etc/hostname/x"));
    }

    [Fact]
    public void A_file_without_an_execute_bit_is_permission_denied()
    {
        Assert.Equal("exec: \"/etc/hostname\": permission denied", Failure("/bin", "/etc/hostname"));
    }

    [Fact]
    public void A_directory_cannot_be_executed()
    {
        Assert.Equal("exec: \"/usr/bin\": is a directory", Failure("/bin", "/usr/bin"));
    }

    [Fact]
    public void A_relative_path_is_found_from_the_working_directory_and_named_as_given()
    {
        Assert.Null(Failure("/bin", "./run.sh"));
        Assert.Equal("exec: \"./gone.sh\": stat ./gone.sh: no such file or directory", Failure("/bin", "./gone.sh"));
    }

    [Fact]
    public void Root_may_run_a_file_with_any_execute_bit_and_another_user_needs_the_others_bit()
    {
        Assert.Null(Failure("/bin", "/opt/mine", Root));
        Assert.Equal("exec: \"/opt/mine\": permission denied", Failure("/bin", "/opt/mine", new ProcessUser(65534, 65534, [])));
    }

    [Fact]
    public void The_owner_may_run_a_file_with_the_owners_execute_bit()
    {
        Assert.Null(Failure("/bin", "/opt/mine", ProcessCredentials.Read(Environment.ProcessId)));
    }

    private string? Failure(string path, string name, ProcessUser? user = null) =>
        ExecLookPath.Failure(_root, WorkingDirectory, path, user ?? Root, name);

    private void File(string relative, UnixFileMode mode)
    {
        var file = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        System.IO.File.WriteAllText(file, "#!/bin/sh\n");
        System.IO.File.SetUnixFileMode(file, mode);
    }
}
