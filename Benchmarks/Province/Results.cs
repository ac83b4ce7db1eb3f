using System.Globalization;

/// <summary>Every figure by set-up and measure; printed at the end as median (range) and as a ratio to the one-node SQLite run.</summary>
sealed class Results
{
    private readonly List<(string Setup, string Measure, double Value)> _values = [];

    public void Add(string setup, string measure, double value) => _values.Add((setup, measure, value));

    private static double Median(List<double> v)
    {
        var s = v.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    public void Print(int students, int uploads, int runs)
    {
        Console.WriteLine();
        Console.WriteLine($"summary: {students:N0} students, {uploads:N0} uploads, {runs} run(s); median (range); ratio = this / the SQLite one-node figure of the same measure");
        foreach (var measure in _values.Select(v => v.Measure).Distinct())
        {
            var reference = _values.Where(v => v.Measure == measure && v.Setup.StartsWith("SQLite", StringComparison.Ordinal)).Select(v => v.Value).ToList();
            double? baseline = reference.Count > 0 ? Median(reference) : null;
            foreach (var setup in _values.Where(v => v.Measure == measure).Select(v => v.Setup).Distinct())
            {
                var v = _values.Where(x => x.Measure == measure && x.Setup == setup).Select(x => x.Value).ToList();
                var median = Median(v);
                var range = v.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({v.Min():0.00}–{v.Max():0.00})") : "";
                var ratio = baseline is > 0 && !measure.StartsWith("load", StringComparison.Ordinal)
                    ? string.Create(CultureInfo.InvariantCulture, $"  {median / baseline.Value:0.00}x SQLite") : "";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {measure,-30} {setup,-22} {median,10:0.00}{range}{ratio}"));
            }
        }
        var one = _values.Where(v => v.Setup == "PostgreSQL, 1 node" && v.Measure == "intake (files/s)").Select(v => v.Value).ToList();
        var two = _values.Where(v => v.Setup == "PostgreSQL, 2 nodes" && v.Measure == "intake (files/s)").Select(v => v.Value).ToList();
        if (one.Count > 0 && two.Count > 0)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  two nodes / one node on PostgreSQL: {Median(two) / Median(one):0.00}x files/s"));
    }
}
