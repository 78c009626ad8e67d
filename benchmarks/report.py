"""The table: which rows there are, their targets, and whether tf1scope meets them.

Imports nothing heavy (no TensorFlow), so the smoke test can list the rows.
"""

import dataclasses
from typing import Optional

BACKENDS = ("native", "tf1scope", "tf_keras")


@dataclasses.dataclass(frozen=True)
class RowSpec:
  """One line of the table.

  ``kind`` says how the target is read: ``ratio`` (tf1scope / native, at
  most ``target``), ``abs`` (tf1scope's value at most ``target``), ``flat``
  (the value is a ratio of two sizes, at most ``target``), ``leak`` (tf1scope
  adds at most ``target`` per call more than native), or ``info`` (no target).
  """

  key: str
  label: str
  kind: str = "info"
  target: Optional[float] = None

  def target_text(self):
    if self.kind == "ratio":
      return f"<= {self.target:.2f}x"
    if self.kind == "abs":
      return f"<= {self.target:g}"
    if self.kind == "flat":
      return f"<= {self.target:g}x"
    if self.kind == "leak":
      return f"<= native+{self.target:g}"
    return ""


def row_specs(config):
  """Every row a run with ``config`` prints, in order."""
  mlp = f"MLP {config.mlp_layers}x{config.mlp_width}, batch {config.mlp_batch}"
  rows = []
  for key, name in (("mlp", mlp),
                    ("conv", "conv net, get_variable + tf.nn.conv2d"),
                    ("convlayers", "conv net, tf1scope.layers "
                     "(tf_keras: tf.compat.v1.layers)")):
    rows += [
        RowSpec(f"{key}.eager", f"{name}: eager, us/call", "ratio", 1.10),
        RowSpec(f"{key}.function",
                f"{name}: tf.function steady state, us/call", "ratio", 1.03),
        RowSpec(f"{key}.first",
                f"{name}: first call (build, trace, create), ms", "ratio",
                1.30),
    ]
  for n in config.var_counts:
    rows += [
        RowSpec(f"vars.{n}.create", f"get_variable N={n:,}: create, us/var",
                "ratio", 1.10),
        RowSpec(f"vars.{n}.reuse", f"get_variable N={n:,}: reuse, us/var",
                "abs", 3.0),
    ]
  lo, hi = min(config.var_counts), max(config.var_counts)
  rows.append(RowSpec("vars.reuse_flat",
                      f"reuse us/var at N={hi:,} / at N={lo:,}", "flat", 1.5))
  for n in config.memory_var_counts:
    rows += [
        RowSpec(f"vars.{n}.mem_create",
                f"get_variable N={n:,}: peak Python memory, create, B/var"),
        RowSpec(f"vars.{n}.mem_reuse",
                f"get_variable N={n:,}: peak Python memory, reuse, B/var"),
    ]
  calls = f"{config.leak_calls:,} eager MLP calls"
  rows += [
      RowSpec("leak.bytes", f"{calls}: Python memory added, B/call (last "
              f"{config.leak_window:,})", "leak", 16),
      RowSpec("leak.objects", f"{calls}: gc objects added after warm-up",
              "leak",
              config.leak_calls // 100),
      RowSpec("leak.variables", f"{calls}: variables added", "leak", 0),
      RowSpec("cold.first", f"cold process, first pass in tf.function: "
              f"{mlp} first call, ms", "ratio", 1.30),
      RowSpec("cold.eager", "cold process: eager MLP afterwards, us/call",
              "ratio", 1.10),
  ]
  return rows


def verdict(spec, row):
  """``met``, ``MISSED``, ``skipped`` or ``""`` (no target) for tf1scope."""
  if spec.kind == "info":
    return ""
  values = row.get("values", {}) if row else {}
  ratios = row.get("ratios", {}) if row else {}
  if "tf1scope" not in values:
    return "skipped"
  if spec.kind == "ratio":
    ok = ratios.get("tf1scope", float("inf")) <= spec.target
  elif spec.kind in ("abs", "flat"):
    ok = values["tf1scope"] <= spec.target
  else:  # leak: no more than native plus the tolerance
    ok = values["tf1scope"] <= max(values.get("native", 0), 0) + spec.target
  return "met" if ok else "MISSED"


def _num(value):
  if value is None:
    return "-"
  magnitude = abs(value)
  if magnitude >= 1000:
    return f"{value:,.0f}"
  if magnitude >= 100:
    return f"{value:.0f}"
  if magnitude >= 10:
    return f"{value:.1f}"
  return f"{value:.2f}"


def _ratio(value):
  return "-" if value is None else f"{value:.2f}x"


def table_rows(config, rows):
  """The table as lists of cells (header first)."""
  out = [["workload / metric", "native", "tf1scope", "ratio", "tf_keras",
          "ratio", "target", "tf1scope"]]
  for spec in row_specs(config):
    row = rows.get(spec.key) or {}
    values, ratios = row.get("values", {}), row.get("ratios", {})
    skipped = row.get("skipped", {})
    cells = [spec.label]
    for name in BACKENDS:
      if name in values:
        cells.append(_num(values[name]))
        if name != "native":
          cells.append(_ratio(ratios.get(name)))
      elif name != "native":
        cells += ["skip" if name in skipped or not row else "-", "-"]
      else:
        cells.append("skip" if name in skipped or not row else "-")
    cells += [spec.target_text(), verdict(spec, rows.get(spec.key))]
    out.append(cells)
  return out


def format_text(config, rows):
  cells = table_rows(config, rows)
  widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
  lines = []
  for i, r in enumerate(cells):
    lines.append("  ".join(
        c.ljust(w) if j == 0 else c.rjust(w)
        for j, (c, w) in enumerate(zip(r, widths))).rstrip())
    if i == 0:
      lines.append("-" * len(lines[0]))
  return "\n".join(lines)


def format_markdown(config, rows):
  cells = table_rows(config, rows)
  lines = ["| " + " | ".join(cells[0]) + " |",
           "|" + "|".join(["---"] + ["---:"] * (len(cells[0]) - 1)) + "|"]
  for r in cells[1:]:
    lines.append("| " + " | ".join(r) + " |")
  return "\n".join(lines)


def skip_notes(rows):
  """One line per (backend, reason) that was skipped, deduplicated."""
  seen = {}
  for key, row in rows.items():
    for name, reason in (row or {}).get("skipped", {}).items():
      seen.setdefault((name, reason), []).append(key)
  return [f"{name} skipped ({', '.join(keys)}): {reason}"
          for (name, reason), keys in seen.items()]


def summary(config, rows):
  """(met, missed, skipped) counts of the targets."""
  counts = {"met": 0, "MISSED": 0, "skipped": 0}
  for spec in row_specs(config):
    v = verdict(spec, rows.get(spec.key))
    if v in counts:
      counts[v] += 1
  return counts["met"], counts["MISSED"], counts["skipped"]
