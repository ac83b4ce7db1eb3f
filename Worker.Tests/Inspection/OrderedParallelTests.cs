using CollectionWorker.Inspection;
using Xunit;

namespace CollectionWorker.Tests.Inspection;

/// <summary>The engine behind check-photo and the inspection stage: one item per core, results in input order.</summary>
public sealed class OrderedParallelTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Results_come_back_in_input_order_even_when_a_later_item_finishes_first()
    {
        var secondDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new List<int>();
        async Task<int> Work(int i, CancellationToken ct)
        {
            // The first item waits until the second has finished: it ends last but must be handed back first.
            if (i == 0) await secondDone.Task.WaitAsync(Patience, ct);
            lock (finished) finished.Add(i);
            if (i == 1) secondDone.SetResult();
            return i * 10;
        }

        var results = new List<(int, int)>();
        await foreach (var r in OrderedParallel.SelectAsync(Enumerable.Range(0, 9), Work, parallelism: 2)) results.Add(r);

        Assert.Equal(Enumerable.Range(0, 9).Select(i => (i, i * 10)), results);
        Assert.True(finished.IndexOf(1) < finished.IndexOf(0), "the second item finished before the first");
    }

    [Fact]
    public async Task Items_run_side_by_side_but_never_more_than_the_parallelism()
    {
        int running = 0, most = 0, sawPair = 0;
        using var bothStarted = new CountdownEvent(2);
        Task<int> Work(int i, CancellationToken ct)
        {
            var now = Interlocked.Increment(ref running);
            lock (bothStarted) most = Math.Max(most, now);
            // Each of the first two items waits (bounded) until the other has started too: proof that two run at once.
            if (i < 2)
            {
                bothStarted.Signal();
                if (bothStarted.Wait(Patience)) Interlocked.Increment(ref sawPair);
            }
            Interlocked.Decrement(ref running);
            return Task.FromResult(i);
        }

        var count = 0;
        await foreach (var _ in OrderedParallel.SelectAsync(Enumerable.Range(0, 40), Work, parallelism: 2)) count++;

        Assert.Equal(40, count);
        Assert.Equal(2, sawPair);
        Assert.Equal(2, most);
    }

    [Fact]
    public async Task A_failure_surfaces_at_its_own_position_after_the_items_before_it()
    {
        Task<int> Work(int i, CancellationToken ct) => i == 3 ? throw new InvalidOperationException("item 3") : Task.FromResult(i);

        var seen = new List<int>();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var (item, _) in OrderedParallel.SelectAsync(Enumerable.Range(0, 10), Work, parallelism: 3)) seen.Add(item);
        });

        Assert.Equal("item 3", e.Message);
        Assert.Equal([0, 1, 2], seen);
    }

    [Fact]
    public async Task Leaving_the_loop_early_starts_nothing_more_and_waits_for_what_runs()
    {
        var started = 0;
        var running = 0;
        async Task<int> Work(int i, CancellationToken ct)
        {
            Interlocked.Increment(ref started);
            Interlocked.Increment(ref running);
            await Task.Yield();
            Interlocked.Decrement(ref running);
            return i;
        }

        await foreach (var (item, _) in OrderedParallel.SelectAsync(Enumerable.Range(0, 1000), Work, parallelism: 2))
            if (item == 2) break;

        Assert.Equal(0, Volatile.Read(ref running));
        // Read-ahead is bounded: the item handed back, plus at most 2 x parallelism started behind it.
        Assert.InRange(Volatile.Read(ref started), 3, 3 + 4);
    }
}
