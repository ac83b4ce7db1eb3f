using System.Globalization;

/// <summary>The machine's 1-minute load average (/proc/loadavg), read now or sampled every second over a phase.</summary>
sealed class LoadAverage
{
    public static string Now() => Read() is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "n/a";

    private static double? Read() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : null;

    public sealed class Sampler
    {
        public readonly List<double> Values = [];
        public readonly CancellationTokenSource Stop = new();
        public Task? Loop;
    }

    public Sampler Sample()
    {
        var s = new Sampler();
        s.Loop = Task.Run(async () =>
        {
            while (!s.Stop.IsCancellationRequested)
            {
                if (Read() is { } v) lock (s.Values) s.Values.Add(v);
                try { await Task.Delay(1000, s.Stop.Token); } catch (OperationCanceledException) { }
            }
        });
        return s;
    }

    public (double Min, double Max) Stop(Sampler s)
    {
        s.Stop.Cancel();
        s.Loop!.Wait();
        if (Read() is { } v) s.Values.Add(v);
        return s.Values.Count == 0 ? (0, 0) : (s.Values.Min(), s.Values.Max());
    }
}
