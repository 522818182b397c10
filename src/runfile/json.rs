//! Just enough JSON for a run file, read and written by hand: the page
//! carries no JSON library (one would weigh more than a protocol). Reading
//! never panics; every mistake is named with its line and column, or with
//! the path of the value that is wrong. Numbers are kept as written, so a
//! 64-bit seed survives exactly.

use std::fmt::Write;

/// A JSON value; an object keeps its members in order (a duplicate is refused).
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number as written.
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Where reading stopped, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub column: usize,
    pub kind: Syntax,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// The text ends before the value does (a file cut short).
    Eof,
    /// A character that cannot stand there.
    Unexpected,
    /// Text after the value.
    Trailing,
    /// An object names a member twice.
    Duplicate,
    /// Arrays and objects nested deeper than any run file needs.
    TooDeep,
}

const MAX_DEPTH: usize = 32;

struct Reader<'a> {
    text: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn error(&self, kind: Syntax) -> SyntaxError {
        let before = &self.text[..self.at.min(self.text.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = std::str::from_utf8(&before[start..])
            .map_or(before.len() - start, |s| s.chars().count())
            + 1;
        SyntaxError { line, column, kind }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), SyntaxError> {
        match self.peek() {
            Some(b) if b == byte => {
                self.at += 1;
                Ok(())
            }
            Some(_) => Err(self.error(Syntax::Unexpected)),
            None => Err(self.error(Syntax::Eof)),
        }
    }

    fn word(&mut self, word: &[u8], value: Json) -> Result<Json, SyntaxError> {
        for &b in word {
            self.expect(b)?;
        }
        Ok(value)
    }

    fn value(&mut self, depth: usize) -> Result<Json, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error(Syntax::TooDeep));
        }
        self.space();
        match self.peek() {
            None => Err(self.error(Syntax::Eof)),
            Some(b'n') => self.word(b"null", Json::Null),
            Some(b't') => self.word(b"true", Json::Bool(true)),
            Some(b'f') => self.word(b"false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.peek() == Some(b']') {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.space();
                    match self.peek() {
                        Some(b',') => self.at += 1,
                        Some(b']') => {
                            self.at += 1;
                            return Ok(Json::Array(items));
                        }
                        Some(_) => return Err(self.error(Syntax::Unexpected)),
                        None => return Err(self.error(Syntax::Eof)),
                    }
                }
            }
            Some(b'{') => {
                self.at += 1;
                let mut members: Vec<(String, Json)> = Vec::new();
                self.space();
                if self.peek() == Some(b'}') {
                    self.at += 1;
                    return Ok(Json::Object(members));
                }
                loop {
                    self.space();
                    if self.peek() != Some(b'"') {
                        return Err(self.error(if self.peek().is_none() {
                            Syntax::Eof
                        } else {
                            Syntax::Unexpected
                        }));
                    }
                    let key_at = self.at;
                    let key = self.string()?;
                    if members.iter().any(|(k, _)| *k == key) {
                        self.at = key_at;
                        return Err(self.error(Syntax::Duplicate));
                    }
                    self.space();
                    self.expect(b':')?;
                    let value = self.value(depth + 1)?;
                    members.push((key, value));
                    self.space();
                    match self.peek() {
                        Some(b',') => self.at += 1,
                        Some(b'}') => {
                            self.at += 1;
                            return Ok(Json::Object(members));
                        }
                        Some(_) => return Err(self.error(Syntax::Unexpected)),
                        None => return Err(self.error(Syntax::Eof)),
                    }
                }
            }
            Some(_) => Err(self.error(Syntax::Unexpected)),
        }
    }

    fn number(&mut self) -> Result<Json, SyntaxError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let digits = |r: &mut Self| {
            let from = r.at;
            while matches!(r.peek(), Some(b'0'..=b'9')) {
                r.at += 1;
            }
            r.at > from
        };
        if !digits(self) {
            return Err(self.error(if self.peek().is_none() {
                Syntax::Eof
            } else {
                Syntax::Unexpected
            }));
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !digits(self) {
                return Err(self.error(Syntax::Unexpected));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return Err(self.error(Syntax::Unexpected));
            }
        }
        let text = std::str::from_utf8(&self.text[start..self.at]).unwrap_or_default();
        Ok(Json::Number(text.to_string()))
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            let start = self.at;
            while !matches!(self.peek(), Some(b'"' | b'\\') | None) {
                if self.peek().is_some_and(|b| b < 0x20) {
                    return Err(self.error(Syntax::Unexpected));
                }
                self.at += 1;
            }
            // The input is UTF-8 (checked before reading) and `"` and `\` are ASCII.
            out.push_str(std::str::from_utf8(&self.text[start..self.at]).unwrap_or_default());
            match self.peek() {
                None => return Err(self.error(Syntax::Eof)),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                _ => {
                    self.at += 1;
                    let escaped = match self.peek() {
                        None => return Err(self.error(Syntax::Eof)),
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            let first = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&first) {
                                self.expect(b'\\')?;
                                self.expect(b'u')?;
                                let second = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&second) {
                                    return Err(self.error(Syntax::Unexpected));
                                }
                                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                            } else {
                                first
                            };
                            out.push(
                                char::from_u32(code)
                                    .ok_or_else(|| self.error(Syntax::Unexpected))?,
                            );
                            continue;
                        }
                        Some(_) => return Err(self.error(Syntax::Unexpected)),
                    };
                    out.push(escaped);
                    self.at += 1;
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let mut v = 0;
        for _ in 0..4 {
            let d = self
                .peek()
                .and_then(|b| (b as char).to_digit(16))
                .ok_or_else(|| {
                    self.error(if self.peek().is_none() {
                        Syntax::Eof
                    } else {
                        Syntax::Unexpected
                    })
                })?;
            v = v * 16 + d;
            self.at += 1;
        }
        Ok(v)
    }
}

/// Reads one JSON value, and nothing after it but white space.
pub fn parse(text: &str) -> Result<Json, SyntaxError> {
    let mut r = Reader {
        text: text.as_bytes(),
        at: 0,
    };
    let value = r.value(0)?;
    r.space();
    if r.peek().is_some() {
        return Err(r.error(Syntax::Trailing));
    }
    Ok(value)
}

impl Json {
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A whole number from 0 to `u64::MAX`, written as such.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// Written with two-space indentation, members in order.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out
    }

    fn write(&self, out: &mut String, indent: usize) {
        let pad = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(' ', n));
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_string(out, s),
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Array(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    pad(out, indent + 2);
                    item.write(out, indent + 2);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push(']');
            }
            Json::Object(members) if members.is_empty() => out.push_str("{}"),
            Json::Object(members) => {
                out.push_str("{\n");
                for (i, (key, value)) in members.iter().enumerate() {
                    pad(out, indent + 2);
                    write_string(out, key);
                    out.push_str(": ");
                    value.write(out, indent + 2);
                    out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push('}');
            }
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A whole number as JSON.
pub fn num(n: impl Into<u64>) -> Json {
    Json::Number(n.into().to_string())
}

/// An object from its members, in order.
pub fn obj<const N: usize>(members: [(&str, Json); N]) -> Json {
    Json::Object(
        members
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_and_write_back() {
        let text =
            r#"{"a": [1, 2.5, -3e2], "b": {"c": null, "d": true}, "e": "x\"\u00e9\n", "f": []}"#;
        let v = parse(text).unwrap();
        assert_eq!(v.get("e").unwrap().as_str(), Some("x\"é\n"));
        assert_eq!(parse(&v.pretty()).unwrap(), v);
        assert_eq!(
            parse("18446744073709551615").unwrap().as_u64(),
            Some(u64::MAX),
            "a 64-bit number survives exactly"
        );
        assert_eq!(parse("\"\\ud83d\\ude00\"").unwrap().as_str(), Some("😀"));
    }

    #[test]
    fn mistakes_are_placed_by_line_and_column() {
        let e = parse("{\n  \"a\": tru").unwrap_err();
        assert_eq!((e.line, e.column, e.kind), (2, 11, Syntax::Eof));
        let e = parse("[1,, 2]").unwrap_err();
        assert_eq!((e.line, e.column, e.kind), (1, 4, Syntax::Unexpected));
        assert_eq!(parse("{} x").unwrap_err().kind, Syntax::Trailing);
        assert_eq!(
            parse(r#"{"a":1,"a":2}"#).unwrap_err().kind,
            Syntax::Duplicate
        );
        let deep = "[".repeat(100);
        assert_eq!(parse(&deep).unwrap_err().kind, Syntax::TooDeep);
        assert_eq!(parse("").unwrap_err().kind, Syntax::Eof);
        assert_eq!(parse("\"a\u{1}\"").unwrap_err().kind, Syntax::Unexpected);
    }
}
