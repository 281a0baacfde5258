from fupin_cli.cli.app import main

main()
