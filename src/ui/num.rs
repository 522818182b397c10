//! Numbers written and computed without the standard library's float
//! formatting and `libm` (sine, cosine, powers): the page needs only fixed
//! decimals and a few angles, and those routines are a large part of a
//! small download (measured with `twiggy`, see the README's page weight).

/// Appends `n` in decimal.
pub fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(d as char);
    }
}

/// Appends `v` rounded to `decimals` (at most 4) digits after the point,
/// as `{v:.N}` would (halves rounded away from zero; `-0.0` written `0.0`).
pub fn push_fixed(out: &mut String, v: f64, decimals: usize) {
    const SCALE: [u64; 5] = [1, 10, 100, 1000, 10_000];
    let decimals = decimals.min(4);
    let unit = SCALE[decimals];
    let scaled = round(v * unit as f64);
    if !scaled.is_finite() {
        out.push('0');
        return;
    }
    // Saturating: coordinates and times are far below 2^63.
    let n = abs(scaled) as u64;
    if scaled < 0.0 && n != 0 {
        out.push('-');
    }
    push_u64(out, n / unit);
    if decimals > 0 {
        out.push('.');
        let frac = n % unit;
        let mut pad = unit / 10;
        while pad > 1 && frac < pad {
            out.push('0');
            pad /= 10;
        }
        push_u64(out, frac);
    }
}

/// `v` with `decimals` digits after the point (see [`push_fixed`]).
pub fn fixed(v: f64, decimals: usize) -> String {
    let mut out = String::with_capacity(8);
    push_fixed(&mut out, v, decimals);
    out
}

fn abs(v: f64) -> f64 {
    if v < 0.0 {
        -v
    } else {
        v
    }
}

/// Rounds half away from zero (as `f64::round`), by truncation, which wasm
/// does in one instruction.
pub fn round(v: f64) -> f64 {
    if !v.is_finite() || abs(v) >= 4_503_599_627_370_496.0 {
        return v;
    }
    let t = v.trunc();
    if abs(v - t) >= 0.5 {
        t + if v < 0.0 { -1.0 } else { 1.0 }
    } else {
        t
    }
}

/// The sine and cosine of `a` (radians), to within 1e-15 for the angles a
/// page draws: reduced to a quarter turn around 0, then Taylor series.
pub fn sin_cos(a: f64) -> (f64, f64) {
    use std::f64::consts::FRAC_PI_2;
    let k = round(a / FRAC_PI_2);
    // Two-part π/2 keeps the reduction exact enough for |a| of a few turns.
    const HI: f64 = FRAC_PI_2;
    const LO: f64 = 6.123_233_995_736_766e-17;
    let r = (a - k * HI) - k * LO;
    let r2 = r * r;
    // Terms up to r^17 / 17! and r^16 / 16!: below 1e-16 for |r| <= π/4.
    let mut s = 0.0;
    let mut c = 0.0;
    let mut term_s = r;
    let mut term_c = 1.0;
    for i in 0..9 {
        s += term_s;
        c += term_c;
        let (n1, n2) = ((2 * i + 2) as f64, (2 * i + 3) as f64);
        term_s *= -r2 / (n1 * n2);
        term_c *= -r2 / ((2 * i + 1) as f64 * n1);
    }
    match (k as i64).rem_euclid(4) {
        0 => (s, c),
        1 => (c, -s),
        2 => (-s, -c),
        _ => (-c, s),
    }
}

/// The length of (dx, dy).
pub fn length(dx: f64, dy: f64) -> f64 {
    (dx * dx + dy * dy).sqrt()
}

/// `10^(hundredths / 100)` for a whole number of hundredths (the speed
/// slider's scale), exact to about 1e-15 relative.
pub fn pow10_hundredths(hundredths: i32) -> f64 {
    let whole = hundredths.div_euclid(100);
    let part = hundredths.rem_euclid(100);
    // e^x for x = part/100 · ln 10 in [0, 2.3): the series converges fast.
    let x = f64::from(part) / 100.0 * std::f64::consts::LN_10;
    let (mut sum, mut term) = (1.0, 1.0);
    for i in 1..40 {
        term *= x / f64::from(i);
        sum += term;
    }
    let mut scale = 1.0;
    for _ in 0..whole.unsigned_abs() {
        scale *= 10.0;
    }
    if whole < 0 {
        sum / scale
    } else {
        sum * scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_decimals_read_as_the_standard_formatting_does() {
        for &v in &[
            0.0,
            -0.0,
            0.04,
            -0.04,
            1.25,
            -1.25,
            12.345,
            185.0,
            -185.0,
            299.96,
            0.999,
            1e6,
            37.5,
            -3.05,
            123_456.789,
        ] {
            for d in 0..=4 {
                let std = format!("{:.*}", d, v);
                let std =
                    if std.starts_with("-") && std.trim_start_matches(['-', '0', '.']).is_empty() {
                        std[1..].to_string()
                    } else {
                        std
                    };
                let ours = fixed(v, d);
                // The standard rounds exact halves to even; we round them away from zero.
                let half = (v * 10f64.powi(d as i32)).fract().abs() == 0.5;
                if !half {
                    assert_eq!(ours, std, "{v} to {d} decimals");
                }
            }
        }
        assert_eq!(fixed(1.25, 1), "1.3");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(f64::NAN, 1), "0");
        let mut s = String::new();
        push_u64(&mut s, u64::MAX);
        assert_eq!(s, u64::MAX.to_string());
    }

    #[test]
    fn angles_match_the_standard_library() {
        for i in -400..=400 {
            let a = f64::from(i) * 0.0317;
            let (s, c) = sin_cos(a);
            assert!((s - a.sin()).abs() < 1e-14, "sin {a}: {s} vs {}", a.sin());
            assert!((c - a.cos()).abs() < 1e-14, "cos {a}: {c} vs {}", a.cos());
        }
        assert_eq!(length(3.0, 4.0), 5.0);
    }

    #[test]
    fn powers_of_ten_in_hundredths_match_powf() {
        for h in -300..=300 {
            let ours = pow10_hundredths(h);
            let std = 10f64.powf(f64::from(h) / 100.0);
            assert!((ours / std - 1.0).abs() < 1e-13, "{h}: {ours} vs {std}");
        }
        assert_eq!(pow10_hundredths(0), 1.0);
        assert_eq!(pow10_hundredths(-300), 0.001);
    }
}
