namespace CollectionWorker.Report;

/// <summary>
/// The page's one stylesheet, inline so the file stands alone: system fonts only, readable on a
/// 390 px phone, and laid out for A4 when printed.
/// </summary>
public static class ReportStyle
{
    public const string Css =
        """
        :root { --approved:#2e8b57; --inspecting:#9bbbd4; --review:#e9b949; --rejected:#e07a3f; --missing:#c3c7cf; --expired:#a62b2b;
                --ink:#1f2328; --muted:#5b636e; --line:#d9dde3; --late:#c0392b; }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; padding: 16px; color: var(--ink); background: #fff; line-height: 1.45;
               font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
                     "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; }
        main { max-width: 1040px; margin: 0 auto; }
        h1 { font-size: 1.45rem; margin: 0 0 4px; }
        h2 { font-size: 1.15rem; margin: 28px 0 8px; padding-top: 10px; border-top: 2px solid var(--ink); }
        h3 { font-size: 1rem; margin: 18px 0 6px; }
        .en { color: var(--muted); font-weight: normal; font-size: .9em; }
        .meta { color: var(--muted); margin: 0 0 12px; }
        .note { color: var(--muted); font-size: .88rem; margin: 4px 0 8px; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 8px; margin: 12px 0; }
        .card { border: 1px solid var(--line); border-left: 6px solid var(--missing); border-radius: 6px; padding: 8px 10px; }
        .card b { display: block; font-size: 1.5rem; line-height: 1.2; }
        .card.k-approved { border-left-color: var(--approved); } .card.k-review { border-left-color: var(--review); }
        .card.k-rejected { border-left-color: var(--rejected); } .card.k-expired { border-left-color: var(--expired); }
        .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 10px; padding: 0; list-style: none; font-size: .88rem; }
        .legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
        .bars { display: grid; grid-template-columns: minmax(8em, 16em) 1fr 4.2em; gap: 6px 10px; align-items: center; }
        .bars .label { overflow-wrap: anywhere; font-size: .92rem; }
        .bars .label small { color: var(--muted); display: block; }
        .bars .pct { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
        .stack { display: flex; height: 22px; border-radius: 4px; overflow: hidden; background: #f1f3f5; }
        .stack span { display: block; height: 100%; min-width: 0; }
        .approved { background: var(--approved); } .inspecting { background: var(--inspecting); } .review { background: var(--review); }
        .rejected { background: var(--rejected); } .missing { background: var(--missing); } .expired { background: var(--expired); }
        .hbar { height: 14px; background: var(--late); border-radius: 3px; min-width: 2px; }
        .hbar.studio { background: #7a5ea8; }
        .hbar.review-flag { background: var(--review); }
        figure { margin: 8px 0; }
        svg { display: block; width: 100%; height: auto; max-width: 760px; }
        svg text { font-family: inherit; fill: var(--ink); }
        svg text.mk { font-size: 10px; fill: #fff; }
        .legend i.dash { height: 0; border-top: 2px dashed #3b6e99; border-radius: 0; width: 18px; vertical-align: 3px; }
        .legend i.line { height: 0; border-top: 3px solid var(--approved); border-radius: 0; width: 18px; vertical-align: 3px; }
        .legend i.mile { height: 0; border-top: 2px dashed #444c56; border-radius: 0; width: 18px; vertical-align: 3px; }
        .legend i.now { height: 0; border-top: 2px dashed var(--late); border-radius: 0; width: 18px; vertical-align: 3px; }
        .legend i.late { background: var(--late); }
        .scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 8px 0 4px; }
        table { border-collapse: collapse; width: 100%; font-size: .86rem; font-variant-numeric: tabular-nums; }
        caption { text-align: left; color: var(--muted); font-size: .85rem; padding: 2px 0 4px; }
        th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: right; vertical-align: top; }
        th { background: #f4f6f8; font-weight: 600; }
        th:first-child, td:first-child, td.text, th.text { text-align: left; }
        td.text { overflow-wrap: anywhere; }
        td.nowrap { white-space: nowrap; }
        tr.late td { color: var(--late); }
        tfoot td { font-weight: 700; border-top: 2px solid var(--ink); }
        .empty { color: var(--muted); font-style: italic; }
        footer { margin-top: 28px; color: var(--muted); font-size: .8rem; }
        @media (max-width: 600px) {
          body { padding: 10px; font-size: 14px; }
          h1 { font-size: 1.2rem; }
          .bars { grid-template-columns: 1fr 3.6em; gap: 2px 8px; }
          .bars .label { grid-column: 1 / -1; margin-top: 6px; }
          .cards { grid-template-columns: repeat(2, 1fr); }
          .card b { font-size: 1.25rem; }
          table { font-size: .8rem; }
          th, td { padding: 3px 4px; }
          th { white-space: nowrap; } /* the table scrolls sideways rather than squeezing words into slivers */
          svg text { font-size: 15px; } /* the 480-unit charts shrink to the phone: larger letters stay readable */
          svg text.mk { font-size: 10px; }
          td.text { min-width: 6.5em; }
        }
        @media print {
          @page { size: A4; margin: 12mm 10mm; }
          body { padding: 0; font-size: 9.5pt; }
          main { max-width: none; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          h2 { break-after: avoid; }
          figure:not(.bars), .bars > *, tr, .cards { break-inside: avoid; } /* a long list of bars may break, between bars */
          .scroll { overflow: visible; }
          thead { display: table-header-group; }
          tfoot { display: table-row-group; } /* the total once, after the rows, not at the foot of every page */
          .bars { grid-template-columns: 14em 1fr 4em; }
          table { font-size: 7.5pt; }
          th, td { padding: 2px 3px; }
          svg { max-width: 150mm; }
          h2 { margin-top: 14px; }
        }
        """;
}
