using Spectre.Console;
using Spectre.Console.Rendering;

namespace CollectionWorker.Host.Progress;

/// <summary>"1200/20000": the items of a step done so far; empty while the step's size is not known.</summary>
internal sealed class CountColumn : ProgressColumn
{
    protected override bool NoWrap => true;

    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        task.IsIndeterminate || task.MaxValue <= 1 && task.Value <= 1 ? Text.Empty : new Text($"{task.Value:0}/{task.MaxValue:0}");
}
