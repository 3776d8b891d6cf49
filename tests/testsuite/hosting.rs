//! The hosting page's recipes (`book/guide/hosting.md`, `book/guide/hosting/*.yml`) work as
//! pasted: the workflow files parse, have the permissions and history the page claims, and
//! their build commands, run in a book's repository with the binary under test, leave the
//! folder the deploy step publishes: the site, with the exports inside it when the book has
//! `[output.ep]`, and `site-url` in the 404 page and in every link of the feed and `eps.json`.

use std::path::Path;

use serde_yaml::Value;

use crate::book_test::*;

/// The address the tests publish at, as the page's examples do.
const ADDRESS: &str = "https://example.org/eps/";

fn page() -> String {
    read(&repo().join("book/guide/hosting.md"))
}

/// The `sh` block after `<!-- test: NAME -->` on the hosting page.
fn block(name: &str) -> String {
    let page = page();
    let (_, after) = page
        .split_once(&format!("<!-- test: {name} -->\n"))
        .unwrap_or_else(|| panic!("hosting.md marks its `{name}` block"));
    after
        .strip_prefix("```sh\n")
        .and_then(|b| b.split_once("```"))
        .unwrap_or_else(|| panic!("an sh block right after the `{name}` marker"))
        .0
        .to_string()
}

fn parse(file: &str) -> Value {
    let text = read(&repo().join("book/guide/hosting").join(file));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// A repository holding a fixture book with some history, as a checkout on the runner:
/// `book.toml` at the root, `[output.ep]` when `exports`, and `extra` appended to book.toml.
fn checkout(exports: bool, extra: &str) -> BookTest {
    let book = BookTest::from_fixture("three-sigs");
    let mut toml = String::from("[output.html]\n");
    toml.push_str(extra);
    if exports {
        toml.push_str("\n[output.ep]\n");
    }
    book.append_to_book_toml(&toml);
    book.git(&["init", "-q", "-b", "main"])
        .git(&["add", "-A"])
        .git_at("2026-01-05", &["commit", "-q", "-m", "The EPs"]);
    book
}

/// Runs a script as the runner would: bash, in the checkout, with the binary under test on
/// `PATH`. `cargo install` lines are read, not run: the one they may install is mdbook-ep, as
/// the CI page installs it.
fn run_script(dir: &Path, script: &str, env: &[(&str, &str)]) {
    let mut kept = Vec::new();
    for line in script.lines() {
        if let Some(rest) = line.trim().strip_prefix("cargo install ") {
            assert_eq!(rest, "mdbook-ep --locked", "an unexpected install: {line}");
        } else {
            kept.push(line);
        }
    }
    let mut cmd = shell(dir, &kept.join("\n"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("bash");
    assert!(
        out.status.success(),
        "{script}\n{}{}",
        stdout(&out),
        stderr(&out)
    );
}

/// What a deploy publishes: `site` holds the book, and with exports every link of its feed
/// and every `url` of its `eps.json` is under `address` and names a page of the site.
fn assert_published(site: &Path, exports: bool, address: &str) {
    assert!(
        site.join("index.html").is_file(),
        "no index.html in the site"
    );
    let not_found = read(&site.join("404.html"));
    assert!(
        not_found.contains(&format!("<base href=\"{address}\">")),
        "404.html does not resolve from {address}"
    );
    if !exports {
        assert!(!site.join("ep").exists());
        return;
    }
    for file in ["eps.json", "eps.csv", "kpi.json", "feed.xml"] {
        assert!(site.join("ep").join(file).is_file(), "no ep/{file}");
    }
    let page_of = |url: &str| {
        let rel = url
            .strip_prefix(address)
            .unwrap_or_else(|| panic!("{url} is not under {address}"));
        assert!(site.join(rel).is_file(), "{url} names no page of the site");
    };
    let feed = read(&site.join("ep/feed.xml"));
    assert!(feed.contains(&format!("<id>{address}</id>")));
    let links: Vec<&str> = feed
        .split("<link href=\"")
        .skip(1)
        .map(|l| l.split('"').next().unwrap())
        .collect();
    assert!(links.len() >= 9, "{feed}");
    links.iter().for_each(|l| page_of(l));
    let eps: serde_json::Value = serde_json::from_str(&read(&site.join("ep/eps.json"))).unwrap();
    let eps = eps["eps"].as_array().unwrap();
    assert_eq!(eps.len(), 9);
    eps.iter()
        .for_each(|ep| page_of(ep["url"].as_str().unwrap()));
    let csv = read(&site.join("ep/eps.csv"));
    assert_eq!(csv.matches(&format!(",{address}eps/")).count(), 9, "{csv}");
}

#[test]
fn the_github_workflow_builds_the_site_and_deploys_it_with_pages_permissions() {
    let workflow = parse("github-pages.yml");
    assert_eq!(
        workflow["on"]["push"]["branches"],
        serde_yaml::from_str::<Value>("[main]").unwrap()
    );
    assert_eq!(workflow["permissions"]["contents"].as_str(), Some("read"));
    assert_eq!(workflow["concurrency"]["group"].as_str(), Some("pages"));
    assert_eq!(
        workflow["concurrency"]["cancel-in-progress"].as_bool(),
        Some(false)
    );
    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert_eq!(deploy["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(deploy["permissions"]["id-token"].as_str(), Some("write"));
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
    assert!(
        deploy["steps"][0]["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("actions/deploy-pages@"))
    );
    assert_eq!(
        workflow["jobs"]["build"]["permissions"]["pages"].as_str(),
        Some("read")
    );
    let steps = workflow["jobs"]["build"]["steps"]
        .as_sequence()
        .expect("jobs.build.steps");
    let uses = |step: &Value, action: &str| {
        step["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with(&format!("{action}@")))
    };
    assert!(uses(&steps[0], "actions/checkout"));
    assert_eq!(steps[0]["with"]["fetch-depth"].as_i64(), Some(0));
    let configure = steps
        .iter()
        .find(|s| uses(s, "actions/configure-pages"))
        .expect("a configure-pages step");
    assert_eq!(configure["id"].as_str(), Some("pages"));
    let artifact = steps
        .iter()
        .find(|s| uses(s, "actions/upload-pages-artifact"))
        .and_then(|s| s["with"]["path"].as_str())
        .expect("an upload-pages-artifact step with a path");

    // configure-pages reports the address without its final `/` (older versions with it).
    for (exports, base_url) in [(true, "https://example.org/eps"), (false, ADDRESS)] {
        let book = checkout(exports, "");
        for step in steps {
            let Some(run) = step["run"].as_str() else {
                continue;
            };
            let mut env = Vec::new();
            for (key, value) in step["env"].as_mapping().into_iter().flatten() {
                let value = value
                    .as_str()
                    .unwrap()
                    .replace("${{ steps.pages.outputs.base_url }}", base_url);
                env.push((key.as_str().unwrap().to_string(), value));
            }
            assert!(
                !run.contains("${{") && env.iter().all(|(_, v)| !v.contains("${{")),
                "an expression the test does not know: {run}"
            );
            let env: Vec<(&str, &str)> =
                env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            run_script(book.path(), run, &env);
        }
        assert_published(&book.join(artifact), exports, ADDRESS);
    }
}

#[test]
fn the_gitlab_job_publishes_public_with_the_whole_history() {
    let pipeline = parse("gitlab-pages.yml");
    let job = &pipeline["pages"];
    assert_eq!(job["variables"]["GIT_DEPTH"].as_i64(), Some(0));
    assert_eq!(
        job["artifacts"]["paths"],
        serde_yaml::from_str::<Value>("[public]").unwrap()
    );
    assert_eq!(
        job["rules"][0]["if"].as_str(),
        Some("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH")
    );
    // GitLab runs before_script and script as one shell script.
    let script: Vec<&str> = ["before_script", "script"]
        .iter()
        .flat_map(|part| job[*part].as_sequence().expect("a script").iter())
        .map(|line| line.as_str().expect("a script line"))
        .collect();
    let script = script.join("\n");
    for (exports, pages_url) in [(true, "https://example.org/eps"), (false, ADDRESS)] {
        let book = checkout(exports, "");
        run_script(book.path(), &script, &[("CI_PAGES_URL", pages_url)]);
        assert_published(&book.join("public"), exports, ADDRESS);
    }
}

/// The page's own server recipe: `site-url` in book.toml, the build block, the checks it
/// shows before uploading, and upload commands that copy the folder the build left.
#[test]
fn the_server_recipe_builds_site_with_site_url_from_book_toml() {
    let page = page();
    let toml = format!("[output.html]\nsite-url = \"{ADDRESS}\"\n\n[output.ep]\n");
    assert!(page.contains(&format!("```toml\n{toml}```")));
    for exports in [true, false] {
        let book = checkout(exports, &format!("site-url = \"{ADDRESS}\"\n"));
        run_script(book.path(), &block("static-build"), &[]);
        assert_published(&book.join("_site"), exports, ADDRESS);
        if exports {
            run_script(book.path(), &block("check-site"), &[]);
        }
    }
    for line in block("upload").lines() {
        assert!(
            line.starts_with("rsync -a --delete _site/ ")
                || (line.starts_with("aws s3 sync _site/ ") && line.ends_with(" --delete")),
            "an upload that does not copy the whole site folder: {line}"
        );
    }
}

/// Without an absolute `site-url` the checks the page shows before uploading fail, as it says.
#[test]
fn the_page_checks_fail_without_an_absolute_site_url() {
    let book = checkout(true, "site-url = \"/eps/\"\n");
    run_script(book.path(), &block("static-build"), &[]);
    let out = shell(book.path(), &block("check-site")).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    // mdBook takes the path for its 404 page; the exports stay relative to the site.
    let site = book.join("_site");
    assert!(read(&site.join("404.html")).contains("<base href=\"/eps/\">"));
    assert!(read(&site.join("ep/feed.xml")).contains("<link href=\"eps/"));
}
