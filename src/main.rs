//! The `mdbook-ep` binary: the preprocessor and renderer mdBook runs, and the commands around
//! them. Everything it does is in the library.

fn main() {
    std::process::exit(mdbook_ep::main());
}
