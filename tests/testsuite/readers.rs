//! What readers of the built book get beyond the EPs' own text: each EP's history from git,
//! the TOC beside mdBook's sidebar, and the All EPs explorer as plain HTML (`browser.rs`
//! drives its script in Chromium).

use crate::book_test::*;
use crate::kpi::book_with_history;

/// Every commit of the book's repository as `(date, full id)`, oldest first.
fn commits(book: &BookTest) -> Vec<(String, String)> {
    let out = std::process::Command::new("git")
        .args(["log", "--reverse", "--format=%cs %H"])
        .current_dir(book.path())
        .output()
        .unwrap();
    stdout(&out)
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(d, h)| (d.to_string(), h.to_string()))
        .collect()
}

/// The `<li>` lines of an EP page's history, tags stripped to words and short ids.
fn story(page: &str) -> Vec<String> {
    let start = page
        .find("<details class=\"ep-history\">")
        .expect("a history");
    let section = &page[start..start + page[start..].find("</details>").unwrap()];
    section
        .split("<li>")
        .skip(1)
        .map(|li| {
            let li = &li[..li.find("</li>").unwrap()];
            let mut text = String::new();
            let mut in_tag = false;
            for c in li.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

#[test]
fn each_ep_page_tells_its_history_with_dates_and_commits() {
    let book = book_with_history();
    book.edit("book.toml", |t| {
        t.replace(
            "[output.html]\n",
            "[output.html]\ngit-repository-url = \"https://github.com/acme/eps/\"\n",
        )
    });
    let ids = commits(&book);
    let short = |date: &str| {
        let (_, id) = ids.iter().find(|(d, _)| d == date).unwrap();
        id[..7].to_string()
    };
    let built = book.build();
    built.assert_exit(0);

    let page = built.read("html/eps/beta/0003-new/index.html");
    assert!(
        page.contains("<summary>History: 4 changes since 2026-01-10</summary>"),
        "{page}"
    );
    assert_eq!(
        story(&page),
        [
            format!(
                "2026-01-10 created, became implementable {}",
                short("2026-01-10")
            ),
            format!("2026-03-20 became implemented {}", short("2026-03-20")),
            format!("2026-03-27 became staged {}", short("2026-03-27")),
            format!("2026-04-10 became completed {}", short("2026-04-10")),
        ]
    );
    // Commits link to the repository mdBook links to, by their full id.
    let (_, last) = ids.iter().find(|(d, _)| d == "2026-04-10").unwrap();
    assert!(
        page.contains(&format!(
            "<a href=\"https://github.com/acme/eps/commit/{last}\" title=\"Commit {last}\">"
        )),
        "{page}"
    );

    // The promoted draft's page tells its promotion.
    let page = built.read("html/eps/beta/0008-sooner/index.html");
    assert_eq!(
        story(&page),
        [
            format!(
                "2026-01-10 created, became provisional {}",
                short("2026-01-10")
            ),
            format!(
                "2026-04-02 numbered from draft src/eps/beta/draft-2026-02-01-sooner.md {}",
                short("2026-04-02")
            ),
        ],
        "{page}"
    );
}

/// History is what was committed. An uncommitted state change is not in it; a file the working
/// tree holds as committed tells the same story as git's copy (whose state is then read from
/// the text in memory, as git's blob id proves the bytes equal).
#[test]
fn history_is_what_was_committed_not_the_working_tree() {
    let book = book_with_history();
    let page = "html/eps/beta/0008-sooner/index.html";
    let committed = book.build();
    committed.assert_exit(0);
    let told = story(&committed.read(page));
    assert_eq!(told.len(), 2, "{told:?}");
    book.edit("src/eps/beta/0008-sooner/README.md", |t| {
        t.replacen("state: provisional", "state: deferred", 1)
    });
    let edited = book.build();
    edited.assert_exit(0);
    assert_eq!(story(&edited.read(page)), told);
    book.git_at("2026-04-20", &["commit", "-qam", "defer"]);
    let built = book.build();
    built.assert_exit(0);
    let now = story(&built.read(page));
    assert_eq!(now[..2], told[..]);
    assert!(
        now.len() == 3 && now[2].starts_with("2026-04-20 became deferred "),
        "{now:?}"
    );
    // The committed text is the one on disk, so its state is read from the text in memory: with
    // git's copy of it gone, the story is the same.
    let out = std::process::Command::new("git")
        .args(["rev-parse", "HEAD:src/eps/beta/0008-sooner/README.md"])
        .current_dir(book.path())
        .output()
        .unwrap();
    let blob = stdout(&out).trim().to_string();
    std::fs::remove_file(
        book.path()
            .join(format!(".git/objects/{}/{}", &blob[..2], &blob[2..])),
    )
    .expect("the blob is a loose object");
    let built = book.build();
    built.assert_exit(0);
    assert_eq!(story(&built.read(page)), now);
}

#[test]
fn no_history_without_git_or_when_turned_off() {
    // Not a repository: no section, no warning.
    let built = BookTest::from_fixture("three-sigs").build();
    built.assert_exit(0);
    assert!(
        !built
            .read("eps/beta/0003-new/index.html")
            .contains("ep-history")
    );
    assert!(!built.stderr().contains("git"), "{}", built.stderr());

    let book = book_with_history();
    book.edit("book.toml", |t| {
        t.replace(
            "[preprocessor.ep]\n",
            "[preprocessor.ep]\nhistory = false\n",
        )
    });
    let built = book.build();
    built.assert_exit(0);
    assert!(
        !built
            .read("html/eps/beta/0003-new/index.html")
            .contains("ep-history")
    );
    // The dashboard still reads git for its KPIs.
    assert_eq!(built.json("ep/kpi.json")["kpi"]["git"], "full");
}

#[test]
fn the_toc_folds_beside_the_sidebar_and_opens_without_it() {
    let ep = "eps/alpha/0001-first/index.html";
    let built = BookTest::from_fixture("three-sigs").build();
    built.assert_exit(0);
    let page = built.read(ep);
    assert!(
        page.contains("<details class=\"ep-toc\">\n<summary>Contents</summary>"),
        "{page}"
    );

    let book = BookTest::from_fixture("three-sigs");
    book.append_to_book_toml("\n[output.html]\nsidebar-header-nav = false\n");
    let page = book.build().read(ep);
    assert!(!page.contains("ep-toc"), "{page}");
    assert!(page.contains("<!-- toc -->\n<ul>"), "{page}");

    let book = BookTest::from_fixture("three-sigs");
    book.edit("book.toml", |t| {
        t.replace(
            "[preprocessor.ep]\n",
            "[preprocessor.ep]\ntoc.beside-sidebar = \"omit\"\n",
        )
    });
    let page = book.build().read(ep);
    assert!(
        !page.contains("ep-toc") && !page.contains("<!-- toc -->"),
        "{page}"
    );
}

#[test]
fn the_explorer_is_a_plain_table_until_its_script_runs() {
    let built = BookTest::from_fixture("three-sigs").build();
    built.assert_exit(0);
    let all = built.read("eps/all.html");
    // The controls are hidden: without JavaScript they would do nothing.
    assert!(
        all.contains("<div id=\"ep-explorer\" class=\"ep-explorer\" hidden=\"\">"),
        "{all}"
    );
    // Every EP is a row, none hidden, each carrying what the filters read.
    let rows: Vec<&str> = all.split("<tr data-ep-state=").skip(1).collect();
    assert_eq!(rows.len(), 9, "{all}");
    assert!(
        rows.iter()
            .all(|r| !r[..r.find('>').unwrap()].contains("hidden"))
    );
    assert!(all.contains(
        "<tr data-ep-state=\"replaced\" data-ep-sig=\"beta\" data-ep-number=\"2\" data-ep-people="
    ));
    // The lists offer what the EPs have, with counts; the script comes after the table.
    assert!(
        all.contains("<option value=\"provisional\" label=\"provisional (4)\"></option>"),
        "{all}"
    );
    assert!(
        all.contains("<option value=\"alpha\" label=\"Alpha Team (3)\"></option>"),
        "{all}"
    );
    assert!(all.find("id=\"ep-explorer-table\"") < all.find("mdbook-ep: the EP explorer"));
    // Sortable headers name their keys, for the URL.
    for key in ["ep", "title", "state", "sig", "authors", "updated"] {
        assert!(all.contains(&format!("data-ep-key=\"{key}\"")), "{key}");
    }
}

/// A shallow clone has one commit: as History it would say every EP was created that day.
#[test]
fn a_shallow_clone_shows_no_history_and_says_why() {
    let book = book_with_history();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", book.path().display());
    let out = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(clone.path().join("b"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let built = build(&clone.path().join("b"));
    built.assert_exit(0);
    assert!(
        !built
            .read("html/eps/beta/0003-new/index.html")
            .contains("ep-history")
    );
    let err = built.stderr();
    assert_eq!(
        err.matches("this is a shallow clone, so EP pages show no History")
            .count(),
        1,
        "{err}"
    );
}

/// Links between EPs land in the book: a `README.md` link becomes the `index.html` mdBook
/// writes (not its `README.html`), and links to generated pages, to rendered names and raw
/// HTML images are no problems; a file nothing links is one.
#[test]
fn links_between_eps_land_in_the_built_book() {
    let book = BookTest::from_fixture("three-sigs");
    let ep = "src/eps/alpha/0001-first/README.md";
    book.edit(ep, |t| {
        t.replace(
            "\nS.\n",
            "\nS. See [README.md](../0004-fourth/README.md#summary), [as html](../0004-fourth/index.html), \
             [all](../../all.md), [top](#top) and <img src=\"d.png\" width=\"30\">.\n",
        )
    });
    book.write("src/eps/alpha/0001-first/d.png", [0u8; 4]);
    book.write("src/eps/alpha/0001-first/old.svg", "<svg/>");
    let built = book.build();
    built.assert_exit(0);
    let err = built.stderr();
    assert!(!err.contains("EP0606") && !err.contains("EP0607"), "{err}");
    assert!(
        err.contains("warning[EP0608]: `old.svg` in the folder of EP-0001"),
        "{err}"
    );
    let page = built.read("eps/alpha/0001-first/index.html");
    assert!(
        page.contains("href=\"../0004-fourth/index.html#summary\">README.md</a>"),
        "{page}"
    );
    assert!(!page.contains("README.html"), "{page}");
    // The file keeps its code-host link.
    assert!(
        book.read(ep)
            .contains("](../0004-fourth/README.md#summary)")
    );
    // The header lists what the EP carries.
    assert!(page.contains("Supporting files"), "{page}");
    assert!(page.contains("<a href=\"d.png\">d.png</a>"), "{page}");
}
