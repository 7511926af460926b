using System.Diagnostics;
using System.Text;
using Spectre.Console;

namespace Cosmos.TestRunner.Bench;

/// <summary>`bench`'s chart: the UDP echo rates of both guests as a PNG.</summary>
public static partial class BenchRunner
{
    private static void Chart(List<GuestResult> results, string path)
    {
        var plot = new ScottPlot.Plot();
        var bars = new List<ScottPlot.Bar>();
        var colors = new[] { ScottPlot.Colors.SteelBlue, ScottPlot.Colors.Orange };
        for (int g = 0; g < results.Count; g++)
            for (int i = 0; i < Payloads.Length; i++)
                bars.Add(new ScottPlot.Bar { Position = i * 3 + g, Value = results[g].EchoRate.GetValueOrDefault(Payloads[i], 0), FillColor = colors[g] });
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(Payloads.Select((_, i) => i * 3 + 0.5).ToArray(), Payloads.Select(p => $"{p} B").ToArray());
        plot.Title("UDP echo rate, 32 in flight (echoes/s)");
        plot.Legend.IsVisible = true;
        plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = results[0].Name, FillColor = colors[0] });
        plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = results[1].Name, FillColor = colors[1] });
        plot.Axes.Margins(bottom: 0);
        plot.SavePng(path, 800, 450);
    }
}
