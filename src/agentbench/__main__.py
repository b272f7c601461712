from agentbench.cli import main

raise SystemExit(main())
