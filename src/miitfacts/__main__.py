from miitfacts.cli import main

main()
