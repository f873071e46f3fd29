"""The timebank's pages, one module per part: members, exchanges, gift board and reports."""
