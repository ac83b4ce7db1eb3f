namespace CollectionWorker.Host;

/// <summary>
/// Why the service stopped itself, if it did (e.g. its store was deleted while running): the run verb
/// prints it and exits 1 instead of 0, so systemd and scripts see a failure.
/// </summary>
public sealed class ServiceFailure
{
    private string? _reason;

    public string? Reason => _reason;

    /// <summary>Records the first reason; later ones are consequences of it.</summary>
    public void Record(string reason) => Interlocked.CompareExchange(ref _reason, reason, null);
}
