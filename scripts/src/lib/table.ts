/** Plain-text tables for the commands' reports: the first row is the header. */

export interface TableStyle {
  /** Alignment by column (default: every column left). */
  align?: (column: number) => "left" | "right";
  /** Between columns (default two spaces). */
  gap?: string;
  /** A line of dashes under the header. */
  rule?: boolean;
  /** Before every line. */
  indent?: string;
}

export function formatTable(rows: string[][], style: TableStyle = {}): string {
  const { align = () => "left", gap = "  ", rule = false, indent = "" } = style;
  const columns = rows[0]?.length ?? 0;
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(...rows.map((row) => (row[c] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (align(c) === "right" ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join(gap);
  const lines = rows.map(line);
  if (rule) lines.splice(1, 0, line(widths.map((width) => "-".repeat(width))));
  return lines.map((text) => `${indent}${text.trimEnd()}`).join("\n");
}
