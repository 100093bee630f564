from kpitool.cli import main

main()
