"""Facts from running text: context facts, organisations and the national report's figures."""
