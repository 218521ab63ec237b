fn main() {
    println!("ran once");
}
