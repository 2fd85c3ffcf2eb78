from studyassist.cli.main import main

raise SystemExit(main())
