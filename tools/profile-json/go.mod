module quiesce.dev/tools/profile-json

go 1.19
