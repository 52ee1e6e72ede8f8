//! The text trace: one `TP_printk`-like line per record, as `ringside run` prints it and the
//! golden traces (`scenarios/golden/<id>.trace`) hold it.
//!
//! Mirrors: the `TP_printk` format strings of `include/trace/events/io_uring.h` for the
//! `io_uring_*` events; the simulator's own wording for the rest. Each event's line comes from
//! its template in the schema (`trace/mod.rs`); `tests/schema.rs` compiles the same templates
//! into TypeScript, so the app and the CLI print exactly what this module prints.
//!
//! A line is `step time_ns context event: fields`, ending with `  [file.rs:line]` when the record
//! carries a source location.

use core::fmt::{self, Write};

use super::schema::{Kind, SYSCALL_NAMES};
use super::{srcfiles, Event, EventSchema, Prov, ReqState, TraceRecord};
use crate::uapi::errno::errno_name;
use crate::uapi::io_uring::{IORING_OP_LAST, OPCODE_NAMES};

/// One piece of a parsed text template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Literal text.
    Lit(String),
    /// `{f}`: a field.
    Field(String),
    /// `{f+g}`: the sum of two fields.
    Sum(String, String),
    /// `{?f|...}`: the pieces when field `f` is not zero.
    Cond(String, Vec<Piece>),
    /// `{req}`: `req N, user_data 0x..`.
    Req,
    /// `{reqn}`: `req N`.
    ReqN,
    /// `{ring}`: the ring id.
    Ring,
    /// `{raw}`: `req N, user_data 0x.., a A, b B`.
    Raw,
}

/// Parses a template (see `trace/mod.rs` for the syntax).
///
/// # Panics
///
/// Panics on a malformed template: templates are constants, checked by the unit tests.
pub fn parse(t: &str) -> Vec<Piece> {
    let (p, rest) = parse_until(t, false);
    assert!(rest.is_empty(), "unbalanced template {:?}", t);
    p
}

fn parse_until(mut t: &str, nested: bool) -> (Vec<Piece>, &str) {
    let mut out = Vec::new();
    let mut lit = String::new();
    while let Some(c) = t.chars().next() {
        if c == '}' && nested {
            break;
        }
        if c != '{' {
            lit.push(c);
            t = &t[c.len_utf8()..];
            continue;
        }
        if !lit.is_empty() {
            out.push(Piece::Lit(core::mem::take(&mut lit)));
        }
        let body = &t[1..];
        if let Some(cond) = body.strip_prefix('?') {
            let bar = cond.find('|').expect("`{?f|` needs a bar");
            let (inner, rest) = parse_until(&cond[bar + 1..], true);
            assert!(rest.starts_with('}'), "unclosed `{{?` in template");
            out.push(Piece::Cond(cond[..bar].to_string(), inner));
            t = &rest[1..];
            continue;
        }
        let end = body.find('}').expect("unclosed `{` in template");
        let name = &body[..end];
        out.push(match name {
            "req" => Piece::Req,
            "reqn" => Piece::ReqN,
            "ring" => Piece::Ring,
            "raw" => Piece::Raw,
            _ => match name.find('+') {
                Some(i) => Piece::Sum(name[..i].to_string(), name[i + 1..].to_string()),
                None => Piece::Field(name.to_string()),
            },
        });
        t = &body[end + 1..];
    }
    if !lit.is_empty() {
        out.push(Piece::Lit(lit));
    }
    (out, t)
}

/// What a line needs to know beyond the record: names only the rest of the core has.
pub trait Names {
    /// The name of a sample driver's `cmd_op`, if one defines it.
    fn cmd_op_name(&self, _op: u32) -> Option<&str> {
        None
    }
    /// The text of kernel log message `id`.
    fn log_text(&self, _id: i64) -> Option<String> {
        None
    }
    /// User memory as `(base, len)`: addresses in it print as `user+0x..`.
    fn user_mem(&self) -> Option<(u64, u64)> {
        None
    }
}

/// No names: every lookup fails.
pub struct NoNames;
impl Names for NoNames {}

/// `-95 (EOPNOTSUPP)` for a negative errno, `-4096 (not modelled)` for the simulator's answer
/// to what it does not model, else the number.
pub fn result_text(v: i64) -> String {
    if v == -i64::from(crate::uapi::errno::ENOTMODELLED) {
        return format!("{} (not modelled)", v);
    }
    if v < 0 && v >= i64::from(i32::MIN) {
        if let Some(n) = errno_name(v as i32).filter(|_| -v < 4096) {
            return format!("{} ({})", v, n);
        }
    }
    v.to_string()
}

/// An opcode's name, or its number past the table.
pub fn opcode_text(v: i64) -> String {
    if (0..i64::from(IORING_OP_LAST)).contains(&v) {
        OPCODE_NAMES[v as usize].to_string()
    } else {
        v.to_string()
    }
}

/// A string as JSON writes it (`JSON.stringify`).
pub fn json_string(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            '\u{8}' => o.push_str("\\b"),
            '\u{c}' => o.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// Renders one field value.
pub fn value_text(kind: Kind, v: i64, names: &dyn Names) -> String {
    match kind {
        Kind::Num => v.to_string(),
        Kind::Result => result_text(v),
        Kind::Opcode => opcode_text(v),
        Kind::FlagsHex(_) => format!("0x{:x}", v as u64),
        Kind::Flags(f) => f.names(v as u32),
        Kind::CmdOp => {
            let op = v as u32;
            match names.cmd_op_name(op) {
                Some(n) => format!("0x{:08x} ({})", op, n),
                None => format!("0x{:08x}", op),
            }
        }
        Kind::State => ReqState::ALL
            .get(v as usize)
            .filter(|_| v >= 0)
            .map_or_else(|| v.to_string(), |s| s.name().to_string()),
        Kind::DoneState => {
            if v == -1 {
                "uring_cmd returned a result after done()".to_string()
            } else {
                format!("request was {}", value_text(Kind::State, v, names))
            }
        }
        Kind::ProvName => Prov::ALL
            .get(v as usize)
            .filter(|_| v >= 0)
            .map_or_else(|| v.to_string(), |p| p.name().to_string()),
        Kind::UserAddr => match names.user_mem() {
            Some((base, _)) if (v as u64) >= base => format!("user+0x{:x}", v as u64 - base),
            _ => format!("0x{:x}", v as u64),
        },
        Kind::Log => json_string(&names.log_text(v).unwrap_or_else(|| format!("#{}", v))),
        Kind::Syscall => SYSCALL_NAMES
            .iter()
            .find(|(n, _)| *n == v)
            .map_or_else(|| v.to_string(), |(_, s)| s.to_string()),
        Kind::Choice(list, default) => list
            .iter()
            .find(|(k, _)| *k == v)
            .map_or(default, |(_, s)| s)
            .to_string(),
    }
}

fn field_value(s: &EventSchema, r: &TraceRecord, name: &str) -> (Kind, i64) {
    let f = s
        .field(name)
        .unwrap_or_else(|| panic!("{}: no field {}", s.event.name(), name));
    (f.kind, f.word.get(r))
}

fn render_pieces(
    out: &mut String,
    ps: &[Piece],
    s: &EventSchema,
    r: &TraceRecord,
    names: &dyn Names,
) {
    for p in ps {
        match p {
            Piece::Lit(t) => out.push_str(t),
            Piece::Req => {
                let _ = write!(out, "req {}, user_data 0x{:x}", r.req, r.user_data);
            }
            Piece::ReqN => {
                let _ = write!(out, "req {}", r.req);
            }
            Piece::Ring => {
                let _ = write!(out, "{}", r.ring);
            }
            Piece::Raw => {
                let _ = write!(
                    out,
                    "req {}, user_data 0x{:x}, a {}, b {}",
                    r.req, r.user_data, r.a, r.b
                );
            }
            Piece::Field(n) => {
                let (k, v) = field_value(s, r, n);
                out.push_str(&value_text(k, v, names));
            }
            Piece::Sum(x, y) => {
                let (_, a) = field_value(s, r, x);
                let (_, b) = field_value(s, r, y);
                let _ = write!(out, "{}", a.wrapping_add(b));
            }
            Piece::Cond(n, inner) => {
                if field_value(s, r, n).1 != 0 {
                    render_pieces(out, inner, s, r, names);
                }
            }
        }
    }
}

/// The fields part of a record's line (after `event: `).
pub fn fields_text(r: &TraceRecord, names: &dyn Names) -> String {
    let mut out = String::new();
    match r.event().map(Event::schema) {
        Some(s) => render_pieces(&mut out, &parse(s.text.unwrap_or("{raw}")), s, r, names),
        None => {
            let _ = write!(
                out,
                "req {}, user_data 0x{:x}, a {}, b {}",
                r.req, r.user_data, r.a, r.b
            );
        }
    }
    out
}

/// The source location of a record as `file.rs:line`, if it has one.
pub fn src_text(r: &TraceRecord) -> Option<String> {
    let (file, line) = (r.src >> 16, r.src & 0xffff);
    if file == 0 && line == 0 {
        return None;
    }
    let base = srcfiles::SOURCE_FILES
        .iter()
        .find(|(id, _)| u32::from(*id) == file)
        .map(|(_, p)| p.rsplit('/').next().unwrap_or(p).to_string())
        .unwrap_or_else(|| format!("file{}", file));
    Some(format!("{}:{}", base, line))
}

/// A record's line in the text trace.
pub struct Line<'a> {
    /// The record.
    pub record: &'a TraceRecord,
    /// Names the record refers to.
    pub names: &'a dyn Names,
}

impl fmt::Display for Line<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.record;
        let ev = r
            .event()
            .map_or_else(|| format!("unknown_{}", r.event), |e| e.name().to_string());
        write!(
            f,
            "{:>5} {:>9} {:<9} {}: {}",
            r.step,
            r.time_ns,
            super::Ctx::from_u8(r.ctx).name(),
            ev,
            fields_text(r, self.names)
        )?;
        if let Some(src) = src_text(r) {
            write!(f, "  [{}]", src)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::SCHEMA;

    #[test]
    fn every_template_parses_and_names_only_its_own_fields() {
        fn check(s: &EventSchema, ps: &[Piece]) {
            for p in ps {
                match p {
                    Piece::Field(n) => assert!(s.field(n).is_some(), "{}: {}", s.event.name(), n),
                    Piece::Sum(a, b) => {
                        assert!(
                            s.field(a).is_some() && s.field(b).is_some(),
                            "{}",
                            s.event.name()
                        )
                    }
                    Piece::Cond(n, inner) => {
                        assert!(s.field(n).is_some(), "{}: {}", s.event.name(), n);
                        check(s, inner);
                    }
                    _ => {}
                }
            }
        }
        for s in SCHEMA {
            check(s, &parse(s.text.unwrap_or("{raw}")));
        }
    }

    #[test]
    fn parses_conditions_and_sums() {
        assert_eq!(
            parse("a {x+y}{?c|, d {z}}"),
            vec![
                Piece::Lit("a ".into()),
                Piece::Sum("x".into(), "y".into()),
                Piece::Cond(
                    "c".into(),
                    vec![Piece::Lit(", d ".into()), Piece::Field("z".into())]
                ),
            ]
        );
    }

    #[test]
    fn renders_a_cqe_like_the_tracepoint() {
        let r = TraceRecord {
            step: 3,
            event: Event::io_uring_complete as u16,
            ctx: 1,
            ring: 1,
            req: 2,
            src: 0,
            time_ns: 300,
            user_data: 0x2a,
            a: -95,
            b: 5 << 32 | 0x8000,
        };
        let l = Line {
            record: &r,
            names: &NoNames,
        }
        .to_string();
        assert_eq!(
            l,
            "    3       300 io_uring  io_uring_complete: req 2, user_data 0x2a, result -95 (EOPNOTSUPP), cflags 0x8000, slot 5"
        );
    }

    #[test]
    fn json_strings_escape_like_javascript() {
        assert_eq!(json_string("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\u0001é\"");
    }
}
