// The PostgresSink module; its types arrive with the work on its issue.
