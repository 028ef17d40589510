//! Local wall-clock time for `%(asctime)s`, through libc's `localtime_r`.

/// A broken-down time: the fields `%(asctime)s` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Civil {
    pub(crate) year: i64,
    pub(crate) month: u32,
    pub(crate) day: u32,
    pub(crate) hour: u32,
    pub(crate) minute: u32,
    pub(crate) second: u32,
}

/// `secs` since the epoch in the local time zone, or UTC where the
/// platform cannot say.
pub(crate) fn local(secs: i64) -> Civil {
    #[cfg(unix)]
    {
        {
            // A 32-bit time_t wraps after 2038; every time_t this runs on
            // today is 64-bit.
            let t = secs as libc::time_t;
            // SAFETY: `tm` is plain old data; all-zero is a valid value.
            let mut tm: libc::tm = unsafe { std::mem::zeroed() };
            // SAFETY: both pointers are valid for the call; localtime_r is
            // the thread-safe variant that writes only into `tm`.
            let r = unsafe { libc::localtime_r(&t, &mut tm) };
            if !r.is_null() {
                return Civil {
                    year: i64::from(tm.tm_year) + 1900,
                    month: (tm.tm_mon + 1) as u32,
                    day: tm.tm_mday as u32,
                    hour: tm.tm_hour as u32,
                    minute: tm.tm_min as u32,
                    second: tm.tm_sec as u32,
                };
            }
        }
    }
    utc(secs)
}

/// `secs` since the epoch in UTC (Howard Hinnant's days-to-civil).
pub(crate) fn utc(secs: i64) -> Civil {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400) as u32;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Civil { year, month, day, hour: rem / 3600, minute: rem / 60 % 60, second: rem % 60 }
}

/// Writes Python's default `asctime`: `2016-07-10 10:45:28,170`.
pub(crate) fn asctime(out: &mut String, c: Civil, millis: u32) {
    use std::fmt::Write;
    let _ = write!(
        out,
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02},{:03}",
        c.year, c.month, c.day, c.hour, c.minute, c.second, millis
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_known_dates() {
        assert_eq!(utc(0), Civil { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
        // 2016-07-10 10:45:28 UTC, the seed's timestamp read as UTC.
        assert_eq!(utc(1_468_147_528), Civil { year: 2016, month: 7, day: 10, hour: 10, minute: 45, second: 28 });
        // A leap day.
        assert_eq!(utc(951_782_400), Civil { year: 2000, month: 2, day: 29, hour: 0, minute: 0, second: 0 });
    }

    #[test]
    fn asctime_shape() {
        let mut s = String::new();
        asctime(&mut s, utc(1_468_147_528), 170);
        assert_eq!(s, "2016-07-10 10:45:28,170");
    }

    #[test]
    fn local_is_utc_shifted_by_whole_minutes() {
        let secs = 1_468_147_528;
        let l = local(secs);
        let u = utc(secs);
        assert_eq!(l.second, u.second);
        assert!(l.year >= 2016 && l.year <= 2016 + 1);
    }
}
