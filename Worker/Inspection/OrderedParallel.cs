using System.Runtime.CompilerServices;

namespace CollectionWorker.Inspection;

/// <summary>
/// Runs one piece of work per item on up to N threads at once (one photo per core) and hands the
/// results back in the order of the items, as soon as each one and all before it are done. At most
/// 2N items are started ahead of the one being handed back, so memory stays bounded however long
/// the list; a slow photo holds back only the hand-over, not the cores.
/// </summary>
public static class OrderedParallel
{
    /// <summary>
    /// Each item with its result, in input order. An exception thrown by the work surfaces when its item's
    /// turn comes; stopping the enumeration early (or <paramref name="ct"/>) cancels what has not started and
    /// waits for what is running, so no work outlives the loop.
    /// </summary>
    public static async IAsyncEnumerable<(TIn Item, TOut Result)> SelectAsync<TIn, TOut>(
        IEnumerable<TIn> items, Func<TIn, CancellationToken, Task<TOut>> work, int parallelism,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var width = Math.Max(1, parallelism);
        using var gate = new SemaphoreSlim(width);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var window = new Queue<(TIn Item, Task<TOut> Task)>();
        using var next = items.GetEnumerator();
        try
        {
            while (true)
            {
                while (window.Count < 2 * width && next.MoveNext())
                {
                    var item = next.Current;
                    window.Enqueue((item, Start(item)));
                }
                if (window.Count == 0) yield break;
                var (done, task) = window.Dequeue();
                yield return (done, await task.ConfigureAwait(false));
            }
        }
        finally
        {
            stop.Cancel();
            foreach (var (_, task) in window)
            {
                try { await task.ConfigureAwait(false); }
                catch { /* abandoned with the loop: its result is not wanted, nor its failure */ }
            }
        }

        async Task<TOut> Start(TIn item)
        {
            await gate.WaitAsync(stop.Token).ConfigureAwait(false);
            try
            {
                return await Task.Run(() => work(item, stop.Token), stop.Token).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
