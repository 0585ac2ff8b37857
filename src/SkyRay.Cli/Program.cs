// Entry point of the skyray CLI; commands are added in Commands/.
return 0;
