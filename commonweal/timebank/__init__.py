"""The timebank and gift board: people give and receive help and bank the hours."""
