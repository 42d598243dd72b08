"""民主管理: congresses, representatives, proposals, secret-ballot elections and democratic evaluation."""
