//! The `[output.ep]` renderer: the book's EPs as data (`eps.json`, `eps.csv`) in its output
//! folder. It reads the EPs itself, with the same analysis as the preprocessor.

use std::collections::HashMap;

use mdbook_renderer::{RenderContext, Renderer};

use crate::check::check_book;
use crate::error::{Error, Result};
use crate::model::Date;
use crate::read::history::GitStatus;

/// Registered as `ep` by `mdbook-ep build`, and run over the protocol by `mdbook build`.
#[derive(Default)]
pub struct EpRenderer;

impl EpRenderer {
    /// The name in `[output.ep]`.
    pub const NAME: &'static str = "ep";
}

impl Renderer for EpRenderer {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn render(&self, ctx: &RenderContext) -> mdbook_renderer::errors::Result<()> {
        Ok(render(ctx, Date::today_for_build()?)?)
    }
}

/// Writes the exports for `ctx` into its destination.
pub(crate) fn render(ctx: &RenderContext, today: Date) -> Result<()> {
    let checked = check_book(
        &ctx.root,
        &ctx.config,
        &ctx.version,
        &mut HashMap::new(),
        today,
    )?;
    let site_url: Option<String> = ctx.config.get("output.html.site-url").ok().flatten();
    let site_url = site_url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let eps = &checked.analysis.eps;
    let increments = checked.cfg.calendar.increments(today);
    let (kpis, history) = crate::kpi::from_repository(&ctx.root, eps, &increments, today);
    if kpis.git == GitStatus::Shallow {
        eprintln!(
            "warning: KPIs need full history (this is a shallow clone, so counts are too low); fetch it with `git fetch --unshallow`, or `fetch-depth: 0` in `actions/checkout`"
        );
    }
    std::fs::create_dir_all(&ctx.destination)
        .map_err(|e| Error::io("create", &ctx.destination, e))?;
    let json = crate::render::export::eps_json(
        eps,
        &history,
        &checked.analysis.diagnostics,
        &checked.cfg,
        site_url.as_deref(),
    );
    let csv = crate::render::export::eps_csv(eps, &checked.cfg, site_url.as_deref());
    let kpi = serde_json::json!({
        "schema-version": crate::render::export::SCHEMA_VERSION,
        "tool": "mdbook-ep",
        "version": env!("CARGO_PKG_VERSION"),
        "kpi": kpis,
    });
    let dir = crate::render::Directory::new(eps, &checked.cfg);
    let title = ctx
        .config
        .book
        .title
        .clone()
        .unwrap_or_else(|| "Book".into());
    let feed = crate::render::feed::atom(eps, &history, &dir, &title, site_url.as_deref());
    let files = [
        (
            "eps.json",
            serde_json::to_string_pretty(&json).unwrap_or_default(),
        ),
        ("eps.csv", csv),
        (
            "kpi.json",
            serde_json::to_string_pretty(&kpi).unwrap_or_default(),
        ),
        ("feed.xml", feed),
    ];
    for (name, text) in files {
        let path = ctx.destination.join(name);
        crate::io::fs::write_atomic(&path, text.as_bytes())?;
    }
    Ok(())
}
