//! `results.json`: what `cargo xtask bench` writes (`target/bench/`) and
//! `cargo xtask book` renders (that file, or the snapshot kept in
//! `docs/bench/`), read and written through serde.
//!
//! ```json
//! {"rows": [{"workload", "unit": "ns", "ours", "peers": {..}, "ratios": {..},
//!            "target", "target_ns", "pass", "targets": [{"target", "target_ns", "pass"}],
//!            "note"}],
//!  "machine": {"cpu", "cores", "os", "mode", "load_at_start", "cpython"}}
//! ```
//!
//! A row may have several targets (`targets`) and meets them only if it
//! meets all: `target` joins their texts with `"; "`, `target_ns` is the
//! smallest limit (the one that binds) and `pass` whether all are met.
//! Files written before `targets` existed have only those three, and still
//! read. `peers` and `ratios` keep the order written (serde_json's
//! `preserve_order`), which is the order the tables show.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Results {
    pub(crate) rows: Vec<RowResult>,
    /// Where the figures were measured: `cpu`, `cores`, `os`, `mode`,
    /// `load_at_start`, `cpython` (strings); absent in hand-made files.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub(crate) machine: Map<String, Value>,
}

/// One workload's figures, in nanoseconds (`unit`), lower is better.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct RowResult {
    pub(crate) workload: String,
    #[serde(default)]
    pub(crate) unit: String,
    /// `null` when ours was not measured.
    #[serde(default)]
    pub(crate) ours: Option<f64>,
    /// Each peer's figure (`null` for one that was not measured).
    #[serde(default)]
    pub(crate) peers: Map<String, Value>,
    /// ours ÷ each peer.
    #[serde(default)]
    pub(crate) ratios: Map<String, Value>,
    #[serde(default)]
    pub(crate) target: String,
    #[serde(default)]
    pub(crate) target_ns: Option<f64>,
    /// `null` when a figure that a target needs is missing.
    #[serde(default)]
    pub(crate) pass: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) targets: Vec<TargetResult>,
    #[serde(default)]
    pub(crate) note: String,
}

/// One of a row's targets and whether ours meets it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct TargetResult {
    pub(crate) target: String,
    #[serde(default)]
    pub(crate) target_ns: Option<f64>,
    #[serde(default)]
    pub(crate) pass: Option<bool>,
}

impl Results {
    pub(crate) fn parse(text: &str) -> Result<Results, String> {
        serde_json::from_str(text).map_err(|e| format!("invalid results file: {e}"))
    }

    /// The file's text: one row a line, as the committed snapshot has it,
    /// so that a new snapshot's diff shows which rows changed.
    pub(crate) fn to_json(&self) -> Result<String, String> {
        let mut out = String::from("{\n  \"rows\": [\n");
        for (i, row) in self.rows.iter().enumerate() {
            out.push_str("    ");
            out.push_str(&line(row)?);
            out.push_str(if i + 1 < self.rows.len() { ",\n" } else { "\n" });
        }
        out.push_str("  ]");
        if !self.machine.is_empty() {
            out.push_str(",\n  \"machine\": ");
            out.push_str(&line(&self.machine)?);
        }
        out.push_str("\n}\n");
        Ok(out)
    }
}

/// One value as one line of JSON.
fn line<T: Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| format!("writing JSON: {e}"))
}

/// A figure as the file keeps it: three decimals; `null` if not finite.
pub(crate) fn figure(v: f64) -> Value {
    if v.is_finite() {
        Value::from((v * 1000.0).round() / 1000.0)
    } else {
        Value::Null
    }
}

/// A machine entry (or any value) as prose: strings bare, the rest as JSON.
pub(crate) fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(plain).collect::<Vec<_>>().join(", "),
        Value::Object(m) => m.iter().map(|(k, v)| format!("{k}: {}", plain(v))).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_snapshot_reads_and_round_trips() {
        let path = crate::cmd::workspace_root().join("docs/bench/results.json");
        let text = std::fs::read_to_string(&path).unwrap();
        let results = Results::parse(&text).unwrap();
        assert!(!results.rows.is_empty());
        let again = Results::parse(&results.to_json().unwrap()).unwrap();
        assert_eq!(again, results);
    }

    #[test]
    fn reads_a_hand_made_file_in_its_order() {
        let text = r#"{"rows": [{"workload": "lock", "unit": "ns", "ours": 1.5e1,
            "peers": {"std": 20, "py\"": null, "a": 1}}], "ok": true}"#;
        let r = Results::parse(text).unwrap();
        let row = &r.rows[0];
        assert_eq!((row.workload.as_str(), row.ours), ("lock", Some(15.0)));
        let peers: Vec<&str> = row.peers.keys().map(String::as_str).collect();
        assert_eq!(peers, ["std", "py\"", "a"], "peers keep the order written");
        assert_eq!(row.peers["py\""], Value::Null);
        assert!(row.targets.is_empty() && row.pass.is_none());
        assert!(Results::parse("{\"rows\": }").is_err());
        assert!(Results::parse("{\"rows\": []} x").is_err());
    }

    #[test]
    fn writes_one_row_a_line() {
        let row = RowResult {
            workload: "w\"x".into(),
            unit: "ns".into(),
            ours: Some(1.0),
            targets: vec![TargetResult { target: "≤ 2 ns".into(), target_ns: Some(2.0), pass: Some(true) }],
            ..RowResult::default()
        };
        let mut machine = Map::new();
        machine.insert("cpu".into(), "X".into());
        let text = Results { rows: vec![row.clone(), row], machine }.to_json().unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 7, "{text}");
        assert!(lines[2].starts_with(r#"    {"workload":"w\"x","unit":"ns","ours":1.0,"#), "{text}");
        assert!(lines[2].contains(r#""targets":[{"target":"≤ 2 ns","target_ns":2.0,"pass":true}]"#), "{text}");
        assert_eq!(lines[5], r#"  "machine": {"cpu":"X"}"#);
    }

    #[test]
    fn figures_and_prose() {
        assert_eq!(figure(1.23456), Value::from(1.235));
        assert_eq!(figure(f64::NAN), Value::Null);
        assert_eq!(plain(&Value::from("a b")), "a b");
        assert_eq!(plain(&Value::from(2)), "2");
    }
}
