//! Exercise B.6 (exercise sheet): left-join `users (user_id, name)` with
//! `events (event_id, user_id, timestamp, event_type)` and count the events per user, with 0 for
//! users who have none — pandas'
//! `users.merge(events.groupby("user_id").size().rename("n_events"), on="user_id", how="left").fillna(0)`.
//!
//! Done with `brisk_data::frame::count_join` (what `brisk join --count` runs): the users keep their
//! order, the events file is streamed for its key column only. Checked against a plain count.

use std::collections::HashMap;

use brisk_data::frame::{count_join, read_frame};
use brisk_data::input::{Format, Input};
use brisk_examples::check;

fn main() {
    let users = "user_id,name\n1,ada\n2,bob\n3,cy\n4,dee\n5,eve\n";
    let events = "event_id,user_id,timestamp,event_type\n\
                  100,1,2024-01-01T10:00:00,login\n\
                  101,3,2024-01-01T10:05:00,click\n\
                  102,1,2024-01-01T10:07:00,click\n\
                  103,5,2024-01-02T09:00:00,login\n\
                  104,1,2024-01-02T09:30:00,logout\n\
                  105,9,2024-01-03T12:00:00,login\n\
                  106,3,2024-01-03T12:01:00,click\n";
    let users_input = Input::from_reader(users.as_bytes(), "users.csv", Format::Csv).unwrap();
    let events_input = Input::from_reader(events.as_bytes(), "events.csv", Format::Csv).unwrap();
    let users_frame = read_frame(&users_input).expect("users");
    let joined = count_join(
        &users_frame,
        "user_id",
        &events_input,
        "user_id",
        "n_events",
    )
    .expect("the count join");

    let ids: Vec<i64> = joined
        .column("user_id")
        .unwrap()
        .i64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    let counts: Vec<i64> = joined
        .column("n_events")
        .unwrap()
        .i64()
        .unwrap()
        .into_no_null_iter()
        .collect();

    // The plain reference: count the events' user ids, then look every user up (0 when absent).
    let mut per_user: HashMap<i64, i64> = HashMap::new();
    for line in events.lines().skip(1) {
        let user: i64 = line.split(',').nth(1).unwrap().parse().unwrap();
        *per_user.entry(user).or_default() += 1;
    }
    let expected: Vec<i64> = ids
        .iter()
        .map(|id| per_user.get(id).copied().unwrap_or(0))
        .collect();
    let names = joined.column("name").unwrap().str().unwrap().clone();
    println!("user_id  name  n_events");
    for (i, (id, n)) in ids.iter().zip(&counts).enumerate() {
        println!("{id:>7}  {:<4}  {n:>8}", names.get(i).unwrap_or(""));
    }
    check(
        ids == [1, 2, 3, 4, 5],
        "every user kept, in the users' order",
    );
    check(
        counts == expected,
        "counts equal a plain count, 0 for users without events",
    );
    check(
        counts == [3, 0, 2, 0, 1],
        "counts [3, 0, 2, 0, 1]; the event of unknown user 9 is ignored",
    );
}
