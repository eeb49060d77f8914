from sectorguide.cli import main

main()
