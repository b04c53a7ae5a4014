"""Meeting times: free slots for two people, and calendar files."""
