namespace CollectionWorker.Tests.Support;

/// <summary>
/// The output of a program that has exited. Its helpers (a browser's zygote or crash handler, an office suite's
/// launcher) inherit its pipes, and one that outlives it keeps them open: reading them to their end would then
/// wait for ever. This waits at most <see cref="Grace"/> and then fails naming the program.
/// </summary>
public static class ChildOutput
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    public static async Task<(string Stdout, string Stderr)> AfterExitAsync(string program, Task<string> stdout, Task<string> stderr)
    {
        try
        {
            await Task.WhenAll(stdout, stderr).WaitAsync(Grace);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"{program} exited, but its output was still open {Grace.TotalSeconds:0} s later: a process it started kept its pipes");
        }
        return (await stdout, await stderr);
    }
}
