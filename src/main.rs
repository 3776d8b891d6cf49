fn main() {
    std::process::exit(mdbook_ep::cli::main());
}
